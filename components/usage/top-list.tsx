/** A ranked list with proportional bars; each row is a button that filters the page to that item. */
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';

export interface TopListItem {
  name: string;
  label: string;
  detail?: string;
  value: number;
  errors?: number;
}

export function TopList({ items, picked, onPick, format = (v) => v.toLocaleString('en-US'), empty, label }: { items: TopListItem[]; picked?: string; onPick?: (name: string) => void; format?: (v: number) => string; empty: string; label: string }) {
  if (items.length === 0) return <p className="py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>;
  const max = Math.max(...items.map((i) => i.value), 1);
  return (
    <ol className="space-y-1" aria-label={label}>
      {items.map((item) => {
        const body = (
          <>
            <span className="flex items-baseline justify-between gap-3">
              <span className="min-w-0 truncate font-medium" title={item.name}>
                {item.label}
                {item.detail && <span className="ml-1.5 font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">{item.detail}</span>}
              </span>
              <span className="shrink-0 tabular-nums">
                {format(item.value)}
                {item.errors ? <span className="ml-1.5 text-xs text-red-700 dark:text-red-400">{item.errors.toLocaleString('en-US')} refused</span> : null}
              </span>
            </span>
            <span aria-hidden="true" className="mt-1 block h-1.5 rounded-full bg-zinc-100 dark:bg-zinc-800">
              <span className="block h-1.5 rounded-full bg-blue-600 dark:bg-blue-500" style={{ width: `${(item.value / max) * 100}%` }} />
            </span>
          </>
        );
        return (
          <li key={item.name}>
            {onPick ? (
              <button
                type="button"
                aria-pressed={picked === item.name}
                onClick={() => onPick(item.name)}
                className={cn('block w-full rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800', picked === item.name && 'bg-zinc-100 dark:bg-zinc-800', focusRing)}
              >
                {body}
              </button>
            ) : (
              <div className="px-2 py-1.5 text-sm">{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
