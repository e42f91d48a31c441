/** Table parts with the console's look; plain elements, so the browser's table semantics stay intact. */
import { cn } from './cn';

export function Table({ className, ...props }: React.ComponentProps<'table'>) {
  return <table className={cn('w-full border-separate border-spacing-0 text-left text-sm', className)} {...props} />;
}

export function TableHead({ className, ...props }: React.ComponentProps<'thead'>) {
  return <thead className={cn('sticky top-0 z-10 bg-zinc-100/95 backdrop-blur dark:bg-zinc-900/95', className)} {...props} />;
}

export function TableBody(props: React.ComponentProps<'tbody'>) {
  return <tbody {...props} />;
}

export function TableRow({ className, ...props }: React.ComponentProps<'tr'>) {
  return <tr className={cn('hover:bg-zinc-50 dark:hover:bg-zinc-800', className)} {...props} />;
}

export function TableHeaderCell({ className, ...props }: React.ComponentProps<'th'>) {
  return (
    <th
      className={cn(
        'border-b border-zinc-200 px-3 py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-600 uppercase dark:border-zinc-800 dark:text-zinc-400',
        className,
      )}
      {...props}
    />
  );
}

export function TableCell({ className, ...props }: React.ComponentProps<'td'>) {
  return <td className={cn('border-b border-zinc-200/80 px-3 align-middle dark:border-zinc-800/80', className)} {...props} />;
}
