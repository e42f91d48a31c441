/**
 * The usage page's events table, narrowed past the charts' filter: to one time bucket clicked on a chart
 * (`at` and `span`, epoch seconds) and to one user agent family (`agent`). The charts keep their view;
 * only the raw events follow these.
 */
import { sql } from 'kysely';
import { listEvents, type EventRow, type UsageFilter } from '@/lib/usage/aggregate';
import { KEYDECK_AGENT, type Db } from '@/lib/usage/event-store';
import type { Drill } from './drill';

export { DrillError, parseDrill, type Drill } from './drill';

/** Raw events of `f` narrowed by `drill`, newest first, `limit` at a time after `before`. */
export async function drillEvents(db: Db, f: UsageFilter, drill: Drill, limit = 200, before?: { time: number; eventId: string }): Promise<EventRow[]> {
  const from = drill.bucket ? Math.max(f.from, drill.bucket.at) : f.from;
  const to = drill.bucket ? Math.min(f.to, drill.bucket.at + drill.bucket.span) : f.to;
  if (from >= to) return [];
  const narrowed = { ...f, from, to };
  if (drill.agent === undefined) return listEvents(db, narrowed, limit, before);
  // The store's listEvents has no user agent filter: the same query with one more condition.
  let q = db
    .selectFrom('usage_events')
    .where('account', '=', f.account)
    .where('region', '=', f.region)
    .where('time', '>=', from)
    .where('time', '<', to)
    .where('user_agent_family', '=', drill.agent);
  if (f.keyArn !== undefined) q = q.where('key_arn', '=', f.keyArn);
  if (f.eventName !== undefined) q = q.where('event_name', '=', f.eventName);
  if (f.principal !== undefined) q = q.where('principal', '=', f.principal);
  if (f.errorCode !== undefined) q = q.where(sql<boolean>`error_code <> ''`);
  if (f.errorCode !== undefined && f.errorCode !== '*') q = q.where('error_code', '=', f.errorCode);
  if (f.hideKeydeck) q = q.where('user_agent_family', '<>', KEYDECK_AGENT);
  if (before) q = q.where((eb) => eb.or([eb('time', '<', before.time), eb.and([eb('time', '=', before.time), eb('event_id', '<', before.eventId)])]));
  const rows = await q
    .select(['event_id', 'time', 'key_arn', 'event_name', 'principal', 'error_code', 'user_agent_family'])
    .orderBy('time', 'desc')
    .orderBy('event_id', 'desc')
    .limit(Math.min(1000, Math.max(1, limit)))
    .execute();
  return rows.map((r) => ({ eventId: r.event_id, time: Number(r.time), keyArn: r.key_arn, eventName: r.event_name, principal: r.principal, errorCode: r.error_code, userAgentFamily: r.user_agent_family }));
}
