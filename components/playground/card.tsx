/** The playground's building blocks: a titled card, a labelled field, a code block, an inline problem. */
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';

export function Card({ title, description, children, className, actions }: { title: string; description?: React.ReactNode; children: React.ReactNode; className?: string; actions?: React.ReactNode }) {
  return (
    <section aria-label={title} className={cn('rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900', className)}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="text-sm font-semibold">{title}</h3>
          {description && <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-1">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Field({ label, htmlFor, hint, children }: { label: string; htmlFor: string; hint?: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="grid gap-1">
      <label htmlFor={htmlFor} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-zinc-600 dark:text-zinc-400">{hint}</p>}
    </div>
  );
}

export const textAreaClass = `min-h-20 w-full rounded-md border border-zinc-300 bg-white px-2.5 py-2 font-mono text-xs text-zinc-900 shadow-xs placeholder:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400 ${focusRing}`;

export function CodeBlock({ children, label }: { children: string; label: string }) {
  return (
    <pre aria-label={label} tabIndex={0} className="max-h-80 overflow-auto rounded-lg bg-zinc-100 p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
      {children}
    </pre>
  );
}

export function Problem({ children }: { children: React.ReactNode }) {
  return <p className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-300">{children}</p>;
}

/** A native file input whose button looks like the console's secondary button. */
export const fileInputClass = `text-sm text-zinc-700 dark:text-zinc-300 file:mr-3 file:h-8 file:cursor-pointer file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-2.5 file:text-sm file:font-medium file:text-zinc-900 hover:file:bg-zinc-100 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100 dark:hover:file:bg-zinc-800 ${focusRing}`;
