/**
 * Writes usage events into the store: the raw events (de-duplicated by eventID) and, for the events that
 * were new, the hourly roll-ups, per-second counts and hourly peaks, in one transaction with the sync
 * checkpoint, so a crash between pages loses nothing and counts nothing twice.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '@/lib/store';
import type { UsageEvent } from './event';

export const HOUR_S = 3600;
export const DAY_S = 86_400;

export type Db = Kysely<Database> | Transaction<Database>;

const rollupKey = (e: UsageEvent) =>
  JSON.stringify([Math.floor(e.time / HOUR_S) * HOUR_S, e.keyArn, e.eventName, e.principal, e.errorCode, e.userAgentFamily, e.requestClass]);

/** Stores `events` (all of one account-region); returns those that were not already stored. */
export async function insertEvents(db: Db, events: UsageEvent[]): Promise<UsageEvent[]> {
  if (events.length === 0) return [];
  const { account, region } = events[0];
  // Chunks keep each statement well under SQLite's bound-parameter limit.
  const inserted = new Set<string>();
  for (let i = 0; i < events.length; i += 500) {
    const rows = await db
      .insertInto('usage_events')
      .values(
        events.slice(i, i + 500).map((e) => ({
          event_id: e.eventId,
          time: e.time,
          account: e.account,
          region: e.region,
          key_arn: e.keyArn,
          event_name: e.eventName,
          principal: e.principal,
          error_code: e.errorCode,
          user_agent_family: e.userAgentFamily,
          request_class: e.requestClass,
          json: e.json,
        })),
      )
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    for (const r of rows) inserted.add(r.event_id);
  }
  // A page can repeat an id (never from AWS, but cheap to guard): count each once.
  const fresh: UsageEvent[] = [];
  for (const e of events) {
    if (inserted.delete(e.eventId)) fresh.push(e);
  }
  if (fresh.length === 0) return fresh;

  const rollups = new Map<string, { e: UsageEvent; calls: number }>();
  const seconds = new Map<string, { second: number; quotaClass: string; calls: number }>();
  let minHour = Infinity;
  let maxHour = -Infinity;
  for (const e of fresh) {
    const k = rollupKey(e);
    const r = rollups.get(k);
    if (r) r.calls++;
    else rollups.set(k, { e, calls: 1 });
    if (e.quotaClass !== 'other') {
      const sk = `${e.time}/${e.quotaClass}`;
      const s = seconds.get(sk);
      if (s) s.calls++;
      else seconds.set(sk, { second: e.time, quotaClass: e.quotaClass, calls: 1 });
      const hour = Math.floor(e.time / HOUR_S) * HOUR_S;
      minHour = Math.min(minHour, hour);
      maxHour = Math.max(maxHour, hour);
    }
  }
  const rollupRows = [...rollups.values()].map(({ e, calls }) => ({
    hour: Math.floor(e.time / HOUR_S) * HOUR_S,
    account,
    region,
    key_arn: e.keyArn,
    event_name: e.eventName,
    principal: e.principal,
    error_code: e.errorCode,
    user_agent_family: e.userAgentFamily,
    request_class: e.requestClass,
    calls,
  }));
  for (let i = 0; i < rollupRows.length; i += 500) {
    await db
      .insertInto('usage_rollups')
      .values(rollupRows.slice(i, i + 500))
      .onConflict((oc) =>
        oc
          .columns(['account', 'region', 'hour', 'key_arn', 'event_name', 'principal', 'error_code', 'user_agent_family', 'request_class'])
          .doUpdateSet((eb) => ({ calls: eb('usage_rollups.calls', '+', eb.ref('excluded.calls')) })),
      )
      .execute();
  }
  const secondRows = [...seconds.values()].map((s) => ({ second: s.second, account, region, quota_class: s.quotaClass, calls: s.calls }));
  for (let i = 0; i < secondRows.length; i += 500) {
    await db
      .insertInto('usage_seconds')
      .values(secondRows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['account', 'region', 'quota_class', 'second']).doUpdateSet((eb) => ({ calls: eb('usage_seconds.calls', '+', eb.ref('excluded.calls')) })),
      )
      .execute();
  }
  if (secondRows.length > 0) {
    // The busiest second of each touched hour, recomputed from the per-second counts.
    await sql`
      insert into usage_peaks (hour, account, region, quota_class, peak)
      select (second / ${sql.lit(HOUR_S)}) * ${sql.lit(HOUR_S)}, account, region, quota_class, max(calls)
      from usage_seconds
      where account = ${account} and region = ${region} and second >= ${minHour} and second < ${maxHour + HOUR_S}
      group by (second / ${sql.lit(HOUR_S)}) * ${sql.lit(HOUR_S)}, account, region, quota_class
      on conflict (account, region, quota_class, hour) do update set peak = excluded.peak`.execute(db);
  }
  return fresh;
}

export interface Retention {
  /** Raw events and per-second counts older than this are deleted. */
  rawDays: number;
  /** Hourly roll-ups and peaks older than this are deleted. */
  rollupDays: number;
}

export const DEFAULT_RETENTION: Retention = { rawDays: 90, rollupDays: 400 };

export async function getRetention(db: Db): Promise<Retention> {
  const row = await db.selectFrom('settings').select('value').where('name', '=', 'usage.retention').executeTakeFirst();
  if (!row) return DEFAULT_RETENTION;
  try {
    const value = JSON.parse(row.value) as Partial<Retention>;
    return { rawDays: value.rawDays ?? DEFAULT_RETENTION.rawDays, rollupDays: value.rollupDays ?? DEFAULT_RETENTION.rollupDays };
  } catch {
    return DEFAULT_RETENTION;
  }
}

export async function setRetention(db: Db, retention: Retention): Promise<void> {
  for (const [name, days] of Object.entries(retention)) {
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new RangeError(`${name} must be a whole number of days from 1 to 3650.`);
  }
  if (retention.rollupDays < retention.rawDays) throw new RangeError('Roll-ups must be kept at least as long as raw events.');
  await db
    .insertInto('settings')
    .values({ name: 'usage.retention', value: JSON.stringify(retention) })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

/** Deletes what is older than the retention allows; returns how many raw events went. */
export async function applyRetention(db: Db, nowS: number, retention: Retention): Promise<number> {
  const rawCutoff = nowS - retention.rawDays * DAY_S;
  const rollupCutoff = nowS - retention.rollupDays * DAY_S;
  const deleted = await db.deleteFrom('usage_events').where('time', '<', rawCutoff).executeTakeFirst();
  await db.deleteFrom('usage_seconds').where('second', '<', rawCutoff).execute();
  await db.deleteFrom('usage_rollups').where('hour', '<', rollupCutoff).execute();
  await db.deleteFrom('usage_peaks').where('hour', '<', rollupCutoff).execute();
  return Number(deleted.numDeletedRows);
}
