'use client';
/** The audit log, newest first: one row per entry, expanding to its parameters, error and hashes. */
import { ChevronDown, ChevronRight } from 'lucide-react';
import { Fragment } from 'react';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import type { AuditEntry } from '@/lib/audit/log';

const time = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const OUTCOME_TONE = { ok: 'success', error: 'warning', denied: 'danger' } as const;

export interface AuditTableProps {
  entries: AuditEntry[];
  /** The first entry the chain verdict found broken: it and later ones are marked untrusted. */
  brokenAt: number | null;
  expanded: number | null;
  onToggle: (seq: number) => void;
}

export function AuditTable({ entries, brokenAt, expanded, onToggle }: AuditTableProps) {
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full min-w-[56rem] border-collapse text-sm" aria-label="Audit log">
        <thead className="bg-zinc-100 text-left text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          <tr>
            <th scope="col" className="w-10 px-2 py-2">
              <span className="sr-only">Details</span>
            </th>
            <th scope="col" className="px-2 py-2 font-medium">#</th>
            <th scope="col" className="px-2 py-2 font-medium">Time (UTC)</th>
            <th scope="col" className="px-2 py-2 font-medium">Who, from where</th>
            <th scope="col" className="px-2 py-2 font-medium">Action</th>
            <th scope="col" className="px-2 py-2 font-medium">Target</th>
            <th scope="col" className="px-2 py-2 font-medium">Outcome</th>
            <th scope="col" className="px-2 py-2 font-medium">Request id</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const open = expanded === e.seq;
            return (
              <Fragment key={e.seq}>
                <tr className="border-t border-zinc-100 align-top hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/60">
                  <td className="px-2 py-1.5">
                    <button
                      type="button"
                      aria-expanded={open}
                      aria-label={`${open ? 'Hide' : 'Show'} entry ${e.seq}`}
                      onClick={() => onToggle(e.seq)}
                      className={cn('rounded p-1 hover:bg-zinc-200 dark:hover:bg-zinc-700', focusRing)}
                    >
                      {open ? <ChevronDown aria-hidden="true" className="size-4" /> : <ChevronRight aria-hidden="true" className="size-4" />}
                    </button>
                  </td>
                  <td className="px-2 py-1.5 text-zinc-500 tabular-nums dark:text-zinc-400">
                    {e.seq}
                    {brokenAt !== null && e.seq >= brokenAt && (
                      <Badge tone="danger" className="ml-1" title="At or after the break in the hash chain">
                        untrusted
                      </Badge>
                    )}
                  </td>
                  <td className="px-2 py-1.5 whitespace-nowrap tabular-nums">{time(e.timeMs)}</td>
                  <td className="px-2 py-1.5">
                    <span className="font-medium">{e.actor.name}</span>
                    {e.actor.role && <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400">({e.actor.role})</span>}
                    <span className="block max-w-48 truncate text-xs text-zinc-500 dark:text-zinc-400" title={e.userAgent}>
                      {e.ip || 'address unknown'}
                    </span>
                  </td>
                  <td className="px-2 py-1.5 font-medium">{e.action}</td>
                  <td className="max-w-48 px-2 py-1.5">
                    <span className="block truncate font-mono text-xs" title={e.keyId}>
                      {e.keyId || '—'}
                    </span>
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">{[e.account, e.region].filter(Boolean).join(' · ')}</span>
                  </td>
                  <td className="px-2 py-1.5">
                    <Badge tone={OUTCOME_TONE[e.outcome]}>{e.outcome}</Badge>
                    {e.errorName && <span className="block text-xs text-red-700 dark:text-red-300">{e.errorName}</span>}
                  </td>
                  <td className="max-w-32 px-2 py-1.5 font-mono text-xs">
                    {/* Cut visually; the whole id is in the cell's text, its title and the expanded row. */}
                    {e.requestIds.length
                      ? e.requestIds.map((id, i) => (
                          <span key={`${id}-${i}`} className="block max-w-36 truncate" title={id}>
                            {id}
                          </span>
                        ))
                      : '—'}
                  </td>
                </tr>
                {open && (
                  <tr>
                    <td colSpan={8} className="px-4 pb-3">
                      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-xs">
                        {e.errorMessage && (
                          <>
                            <dt className="text-zinc-500 dark:text-zinc-400">Error</dt>
                            <dd>{e.errorMessage}</dd>
                          </>
                        )}
                        <dt className="text-zinc-500 dark:text-zinc-400">AWS request ids</dt>
                        <dd className="font-mono">{e.requestIds.length ? e.requestIds.join(', ') : 'none (no AWS call was made)'}</dd>
                        <dt className="text-zinc-500 dark:text-zinc-400">Browser</dt>
                        <dd className="break-all">{e.userAgent || '—'}</dd>
                        <dt className="text-zinc-500 dark:text-zinc-400">Removed secrets</dt>
                        <dd>{e.redacted.length ? e.redacted.join(', ') : 'none'}</dd>
                        <dt className="text-zinc-500 dark:text-zinc-400">Hash</dt>
                        <dd className="font-mono break-all">{e.hash}</dd>
                      </dl>
                      <pre aria-label={`Parameters of entry ${e.seq}`} className="mt-2 max-h-80 overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-950">
                        {JSON.stringify(e.params, null, 2)}
                      </pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
