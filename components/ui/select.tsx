/**
 * A native <select>, styled: the platform's own listbox is the most accessible one there is (keyboard,
 * screen readers, mobile pickers) and costs no JavaScript.
 */
import { ChevronDown } from 'lucide-react';
import { cn } from './cn';
import { fieldClass } from './input';

export function Select({ className, children, ...props }: React.ComponentProps<'select'>) {
  return (
    <span className={cn('relative inline-flex', className)}>
      <select className={cn(fieldClass, 'w-full appearance-none pr-8')} {...props}>
        {children}
      </select>
      <ChevronDown aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-500" />
    </span>
  );
}
