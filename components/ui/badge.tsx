/** A short label; tones carry meaning (success, warning, danger) and always come with text, never color alone. */
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn';

const badgeVariants = cva('inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset', {
  variants: {
    tone: {
      neutral: 'bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700',
      success: 'bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/30',
      warning: 'bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/30',
      danger: 'bg-red-50 text-red-800 ring-red-300 dark:bg-red-400/10 dark:text-red-300 dark:ring-red-400/30',
      info: 'bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-400/10 dark:text-sky-300 dark:ring-sky-400/30',
      demo: 'bg-amber-400 font-bold tracking-widest text-amber-950 ring-amber-500 dark:bg-amber-400 dark:text-amber-950',
    },
  },
  defaultVariants: { tone: 'neutral' },
});

export type BadgeTone = NonNullable<VariantProps<typeof badgeVariants>['tone']>;

export function Badge({ className, tone, ...props }: React.ComponentProps<'span'> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
