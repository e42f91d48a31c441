/**
 * Writes usage events into the store: the raw events (de-duplicated by eventID) and, for the events that
 * were new, the narrow hourly and daily roll-ups (one dimension each), the billing roll-ups (billed calls
 * per request class and priced key), per-second counts and hourly peaks,
 * in one transaction with the sync checkpoint, so a crash between pages loses nothing and counts nothing
 * twice.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '@/lib/store';
import type { UsageEventsTable } from '@/lib/store/schema';
import type { UsageEvent } from './event';
import { DEFAULT_RETENTION, MAX_RETENTION_DAYS, type Retention } from './retention-types';

export const HOUR_S = 3600;
export const DAY_S = 86_400;

export type Db = Kysely<Database> | Transaction<Database>;

/** The user agent family of Keydeck's own calls (lib/usage/event.ts), which the charts can leave out. */
export const KEYDECK_AGENT = 'keydeck';

/** The narrow roll-ups: each chart's one dimension, and the event fields that fill its columns. */
export const NARROW_DIMS = {
  ops: { event_name: 'eventName' },
  keys: { key_arn: 'keyArn', request_class: 'requestClass' },
  callers: { principal: 'principal' },
  errors: { error_code: 'errorCode' },
  agents: { user_agent_family: 'userAgentFamily' },
} as const satisfies Record<string, Partial<Record<keyof UsageEventsTable, keyof UsageEvent>>>;
export type NarrowDim = keyof typeof NARROW_DIMS;
export type Grain = 'hourly' | 'daily';
export const GRAIN_S: Record<Grain, number> = { hourly: HOUR_S, daily: DAY_S };
export const narrowTable = (grain: Grain, dim: NarrowDim) => `usage_${grain}_${dim}` as const;

/**
 * The key a request's price depends on, kept in the billing roll-ups: an asymmetric call is priced by its
 * key's spec (lib/pricing/cost.ts priceClassOf); every other class has one price, so its calls add up
 * under ''.
 */
export const pricedKey = (requestClass: string, keyArn: string) => (requestClass === 'asymmetric' ? keyArn : '');
/**
 * The billing roll-ups: successful (billed) calls per bucket, request class and priced key — a few rows a
 * day — and the same per operation (`ops`: the cost per API) and per caller (`callers`: the cost per caller).
 */
export const BILLED_BY = { keys: null, ops: 'event_name', callers: 'principal' } as const;
export type BilledBy = keyof typeof BILLED_BY;
const BILLED_FIELD = { keys: null, ops: 'eventName', callers: 'principal' } as const satisfies Record<BilledBy, keyof UsageEvent | null>;
export const billedTable = (grain: Grain, by: BilledBy = 'keys') => (by === 'keys' ? (`usage_${grain}_billed` as const) : (`usage_${grain}_billed_${by}` as const));

interface Counted {
  values: (string | number)[];
  counts: number[];
}

/** Adds counted rows to a roll-up: inserted, or added to the row with the same key columns. */
async function upsertCounts(db: Db, table: string, keyColumns: string[], countColumns: string[], rows: Counted[]): Promise<void> {
  const set = sql.join(countColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`));
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows.slice(i, i + 500).map((r) => sql`(${sql.join([...r.values, ...r.counts])})`);
    await sql`
      insert into ${sql.table(table)} (${sql.join([...keyColumns, ...countColumns].map((c) => sql.ref(c)))})
      values ${sql.join(values)}
      on conflict (${sql.join(keyColumns.map((c) => sql.ref(c)))}) do update set ${set}`.execute(db);
  }
}

/** Adds `events` (new ones only) to every narrow roll-up and to the billing roll-ups. */
async function addToRollups(db: Db, account: string, region: string, events: UsageEvent[]): Promise<void> {
  for (const grain of ['hourly', 'daily'] as const) {
    const size = GRAIN_S[grain];
    for (const dim of Object.keys(NARROW_DIMS) as NarrowDim[]) {
      const columns = Object.entries(NARROW_DIMS[dim]) as [string, keyof UsageEvent][];
      const rows = new Map<string, Counted>();
      for (const e of events) {
        if (dim === 'errors' && !e.errorCode) continue;
        const bucket = Math.floor(e.time / size) * size;
        const values: (string | number)[] = [account, region, bucket, e.userAgentFamily === KEYDECK_AGENT ? 1 : 0, ...columns.map(([, field]) => e[field] as string)];
        const k = JSON.stringify(values);
        const row = rows.get(k) ?? { values, counts: [0, 0] };
        row.counts[0]++;
        if (e.errorCode) row.counts[1]++;
        rows.set(k, row);
      }
      const names = ['account', 'region', 'bucket', 'keydeck', ...columns.map(([c]) => c)];
      await upsertCounts(db, narrowTable(grain, dim), names, ['calls', 'errors'], [...rows.values()]);
    }
    // Refused calls are not billed; Keydeck's own calls are (they are the account's requests too).
    for (const by of Object.keys(BILLED_BY) as BilledBy[]) {
      const column = BILLED_BY[by];
      const field = BILLED_FIELD[by];
      const billed = new Map<string, Counted>();
      for (const e of events) {
        if (e.errorCode) continue;
        const values = [account, region, Math.floor(e.time / size) * size, ...(field ? [e[field]] : []), e.requestClass, pricedKey(e.requestClass, e.keyArn)];
        const k = JSON.stringify(values);
        const row = billed.get(k) ?? { values, counts: [0] };
        row.counts[0]++;
        billed.set(k, row);
      }
      const keys = ['account', 'region', 'bucket', ...(column ? [column] : []), 'request_class', 'key_arn'];
      await upsertCounts(db, billedTable(grain, by), keys, ['calls'], [...billed.values()]);
    }
  }
}

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

  await addToRollups(db, account, region, fresh);
  const seconds = new Map<string, { second: number; quotaClass: string; calls: number }>();
  for (const e of fresh) {
    if (e.quotaClass !== 'other') {
      const sk = `${e.time}/${e.quotaClass}`;
      const s = seconds.get(sk);
      if (s) s.calls++;
      else seconds.set(sk, { second: e.time, quotaClass: e.quotaClass, calls: 1 });
    }
  }
  const secondRows = [...seconds.values()].map((s) => ({ second: s.second, account, region, quota_class: s.quotaClass, calls: s.calls }));
  // Counts only grow, so the busiest second of an hour is the larger of its peak so far and the new
  // counts of the seconds just written (no rescan of the hour's seconds).
  const peaks = new Map<string, { hour: number; quota_class: string; peak: number }>();
  for (let i = 0; i < secondRows.length; i += 500) {
    const counted = await db
      .insertInto('usage_seconds')
      .values(secondRows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['account', 'region', 'quota_class', 'second']).doUpdateSet((eb) => ({ calls: eb('usage_seconds.calls', '+', eb.ref('excluded.calls')) })),
      )
      .returning(['second', 'quota_class', 'calls'])
      .execute();
    for (const c of counted) {
      const hour = Math.floor(Number(c.second) / HOUR_S) * HOUR_S;
      const k = `${hour}/${c.quota_class}`;
      const p = peaks.get(k);
      if (!p) peaks.set(k, { hour, quota_class: c.quota_class, peak: Number(c.calls) });
      else p.peak = Math.max(p.peak, Number(c.calls));
    }
  }
  const peakRows = [...peaks.values()].map((p) => ({ ...p, account, region }));
  for (let i = 0; i < peakRows.length; i += 500) {
    await db
      .insertInto('usage_peaks')
      .values(peakRows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['account', 'region', 'quota_class', 'hour']).doUpdateSet((eb) => ({
          peak: eb.case().when('excluded.peak', '>', eb.ref('usage_peaks.peak')).then(eb.ref('excluded.peak')).else(eb.ref('usage_peaks.peak')).end(),
        })),
      )
      .execute();
  }
  return fresh;
}

export { DEFAULT_RETENTION, MAX_RETENTION_DAYS, type Retention } from './retention-types';

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
    if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) throw new RangeError(`${name} must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`);
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
  for (const grain of ['hourly', 'daily'] as const) {
    // A day is kept while any of its hours is: a daily row goes when its whole day is past the cutoff.
    const size = GRAIN_S[grain];
    for (const dim of Object.keys(NARROW_DIMS) as NarrowDim[]) {
      await sql`delete from ${sql.table(narrowTable(grain, dim))} where bucket <= ${rollupCutoff - size}`.execute(db);
    }
    for (const by of Object.keys(BILLED_BY) as BilledBy[]) {
      await sql`delete from ${sql.table(billedTable(grain, by))} where bucket <= ${rollupCutoff - size}`.execute(db);
    }
  }
  await db.deleteFrom('usage_peaks').where('hour', '<', rollupCutoff).execute();
  return Number(deleted.numDeletedRows);
}
