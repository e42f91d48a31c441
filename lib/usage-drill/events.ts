/**
 * The usage page's events table, narrowed past the charts' filter: to one time bucket clicked on a chart
 * (`at` and `span`, epoch seconds) and to one user agent family (`agent`). The charts keep their view;
 * only the raw events follow these.
 */
import { listEvents, type EventRow, type UsageFilter } from '@/lib/usage/aggregate';
import type { Db } from '@/lib/usage/event-store';
import type { Drill } from './drill';

export { DrillError, parseDrill, type Drill } from './drill';

/** Raw events of `f` narrowed by `drill`, newest first, `limit` at a time after `before`. */
export async function drillEvents(db: Db, f: UsageFilter, drill: Drill, limit = 200, before?: { time: number; eventId: string }): Promise<EventRow[]> {
  const from = drill.bucket ? Math.max(f.from, drill.bucket.at) : f.from;
  const to = drill.bucket ? Math.min(f.to, drill.bucket.at + drill.bucket.span) : f.to;
  if (from >= to) return [];
  const narrowed = { ...f, from, to };
  return listEvents(db, narrowed, limit, before, drill.agent);
}
