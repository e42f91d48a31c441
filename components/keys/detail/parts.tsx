/** Small building blocks of the key detail tabs: a card, a definition list row, an inline field error, a disabled-with-reason note. */
import { cn } from '@/components/ui/cn';

export function Card({ title, description, actions, children, className }: { title: string; description?: React.ReactNode; actions?: React.ReactNode; children: React.ReactNode; className?: string }) {
  return (
    <section className={cn('rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900', className)}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 className="text-sm font-semibold">{title}</h2>
          {description && <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Fields({ children }: { children: React.ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-4 gap-y-2.5 text-sm sm:grid-cols-[13rem_1fr]">{children}</dl>;
}

export function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-zinc-600 dark:text-zinc-400">{name}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

export const Mono = ({ children }: { children: React.ReactNode }) => <span className="font-mono text-xs break-all">{children}</span>;

export const None = ({ children = '—' }: { children?: React.ReactNode }) => <span className="text-zinc-500 dark:text-zinc-400">{children}</span>;

export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

/** Why an action is unavailable, shown beside its disabled control. */
export function Unavailable({ id, reason }: { id?: string; reason?: string }) {
  if (!reason) return null;
  return (
    <p id={id} className="text-sm text-zinc-600 dark:text-zinc-400">
      {reason}
    </p>
  );
}

export function Notice({ tone = 'info', children }: { tone?: 'info' | 'warning' | 'danger'; children: React.ReactNode }) {
  return (
    <div
      className={cn(
        'rounded-lg border p-3 text-sm',
        tone === 'info' && 'border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800/50 dark:text-zinc-300',
        tone === 'warning' && 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200',
        tone === 'danger' && 'border-red-300 bg-red-50 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200',
      )}
    >
      {children}
    </div>
  );
}
