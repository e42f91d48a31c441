'use client';
/**
 * The raw events of the current view, newest first: a real <table>, virtualized (one <tbody> per event,
 * measured, so an expanded event's JSON can be any height), loading further pages as it scrolls.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import type { EventRow } from '@/lib/usage/aggregate';

const ROW = 41;

export interface EventsTableProps {
  events: EventRow[];
  keyNames: Record<string, string>;
  expanded: string | null;
  onToggle: (eventId: string) => void;
  /** The expanded event's record, once loaded. */
  record: { loading: boolean; text?: string; error?: string };
  hasMore: boolean;
  loadMore: () => void;
  loading: boolean;
}

const time = (s: number) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
const short = (arn: string) => arn.split(/[:/]/).slice(-1)[0] || arn;

export function EventsTable({ events, keyNames, expanded, onToggle, record, hasMore, loadMore, loading }: EventsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // TanStack Virtual's API returns functions the React Compiler cannot memoize; that is expected here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: events.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12, getItemKey: (i) => events[i].eventId });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= events.length - 20) loadMore();
  }, [lastIndex, events.length, hasMore, loading, loadMore]);

  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div ref={scroller} className="max-h-[32rem] overflow-auto rounded-xl border bg-white dark:bg-zinc-900" tabIndex={0} aria-label="Events, scrollable">
      <table className="w-full min-w-[56rem] border-collapse text-sm" aria-label="CloudTrail events" aria-rowcount={events.length + 1}>
        <thead className="sticky top-0 z-10 bg-zinc-100 text-left text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          <tr>
            <th scope="col" className="w-10 px-2 py-2"><span className="sr-only">Details</span></th>
            <th scope="col" className="px-2 py-2 font-medium">Time (UTC)</th>
            <th scope="col" className="px-2 py-2 font-medium">Operation</th>
            <th scope="col" className="px-2 py-2 font-medium">Key</th>
            <th scope="col" className="px-2 py-2 font-medium">Caller</th>
            <th scope="col" className="px-2 py-2 font-medium">Error</th>
            <th scope="col" className="px-2 py-2 font-medium">Client</th>
          </tr>
        </thead>
        {top > 0 && (
          <tbody aria-hidden="true">
            <tr style={{ height: top }} />
          </tbody>
        )}
        {items.map((item) => {
          const e = events[item.index];
          const open = expanded === e.eventId;
          return (
            <tbody key={item.key} ref={virtualizer.measureElement} data-index={item.index} className="border-t border-zinc-100 dark:border-zinc-800">
              <tr className="hover:bg-zinc-50 dark:hover:bg-zinc-800/60" aria-rowindex={item.index + 2}>
                <td className="px-2 py-1.5">
                  <button type="button" aria-expanded={open} aria-label={`${open ? 'Hide' : 'Show'} event ${e.eventId}`} onClick={() => onToggle(e.eventId)} className={cn('rounded p-1 hover:bg-zinc-200 dark:hover:bg-zinc-700', focusRing)}>
                    {open ? <ChevronDown aria-hidden="true" className="size-4" /> : <ChevronRight aria-hidden="true" className="size-4" />}
                  </button>
                </td>
                <td className="px-2 py-1.5 whitespace-nowrap tabular-nums">{time(e.time)}</td>
                <td className="px-2 py-1.5">{e.eventName}</td>
                <td className="max-w-64 truncate px-2 py-1.5" title={e.keyArn}>
                  {e.keyArn ? keyNames[e.keyArn] ?? <span className="font-mono text-xs">{short(e.keyArn)}</span> : '—'}
                </td>
                <td className="max-w-72 truncate px-2 py-1.5" title={e.principal}>{e.principal}</td>
                <td className="px-2 py-1.5">{e.errorCode ? <span className="text-red-700 dark:text-red-400">{e.errorCode}</span> : '—'}</td>
                <td className="px-2 py-1.5">{e.userAgentFamily}</td>
              </tr>
              {open && (
                <tr>
                  <td colSpan={7} className="px-3 pb-3">
                    {record.loading ? (
                      <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading the CloudTrail record…</p>
                    ) : record.error ? (
                      <p className="text-sm text-red-700 dark:text-red-400">{record.error}</p>
                    ) : (
                      <pre aria-label="CloudTrail record" className="max-h-80 overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-950">{record.text}</pre>
                    )}
                  </td>
                </tr>
              )}
            </tbody>
          );
        })}
        {bottom > 0 && (
          <tbody aria-hidden="true">
            <tr style={{ height: bottom }} />
          </tbody>
        )}
      </table>
      {events.length === 0 && !loading && <p className="py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">No events match this view.</p>}
      {loading && <p className="py-3 text-center text-xs text-zinc-500 dark:text-zinc-400">Loading events…</p>}
    </div>
  );
}
