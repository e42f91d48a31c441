/**
 * The usage charts' queries. Each chart groups by one dimension, so each reads its narrow roll-up
 * (lib/usage/event-store.ts): the daily table for the whole days of the range, the hourly one for the
 * partial days at its ends (and for hour buckets). A filter on another dimension than the table has (the
 * top callers of one key, a key's calls by operation …) reads the raw events instead, through a covering
 * index on (account, region, key | caller | operation | error, time, the other dimensions). The billed
 * requests come from the billing roll-ups. Portable SQL through Kysely (SQLite, PostgreSQL).
 */
import { sql, type RawBuilder } from 'kysely';
import { billedTable, DAY_S, HOUR_S, KEYDECK_AGENT, NARROW_DIMS, narrowTable, type Db, type Grain, type NarrowDim } from './event-store';

export const RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 } as const;
export type RangeName = keyof typeof RANGES;

export interface UsageFilter {
  account: string;
  region: string;
  /** Epoch seconds, [from, to); widened to whole hours. */
  from: number;
  to: number;
  keyArn?: string;
  eventName?: string;
  principal?: string;
  /** An error code, or '*' for any refused call. */
  errorCode?: string;
  /** Leave out the calls Keydeck itself made (its user agent family). */
  hideKeydeck?: boolean;
}

/** Chart buckets: hours for a day or a week, days beyond. */
export function bucketFor(from: number, to: number): number {
  return to - from <= 8 * DAY_S ? HOUR_S : DAY_S;
}

const num = (v: unknown) => Number(v ?? 0);

/** The filter's range in whole hours. */
function hours(f: { from: number; to: number }): [number, number] {
  return [Math.floor(f.from / HOUR_S) * HOUR_S, Math.ceil(f.to / HOUR_S) * HOUR_S];
}

type Column = 'event_name' | 'key_arn' | 'principal' | 'error_code' | 'user_agent_family';
const FILTER_COLUMNS = { keyArn: 'key_arn', eventName: 'event_name', principal: 'principal', errorCode: 'error_code' } as const;

/** How a query reads: from a narrow roll-up when it holds every filtered column, else from the raw events. */
export function sourceFor(f: UsageFilter, dim: NarrowDim): 'rollup' | 'raw' {
  const columns = Object.keys(NARROW_DIMS[dim]);
  for (const [field, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, Column][]) {
    const v = f[field];
    if (v === undefined) continue;
    // "Any error" is the errors column every roll-up keeps.
    if (field === 'errorCode' && v === '*') continue;
    if (!columns.includes(column)) return 'raw';
  }
  return 'rollup';
}

interface Grouped {
  t: number;
  name: string;
  calls: number;
  errors: number;
}

interface GroupOptions {
  /** The roll-up to read; its first column is the one grouped by unless `column` says otherwise. */
  dim: NarrowDim;
  /** Group by this column; none: one total row. */
  column?: Column;
  /** Group by time buckets of this size too. */
  bucket?: number;
  /** The `limit` biggest groups by calls, else all in time order. */
  limit?: number;
  /** Leave out successful calls (the errors chart). */
  errorsOnly?: boolean;
}

function conditions(f: UsageFilter, columns: string[], raw: boolean): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`account = ${f.account}`, sql`region = ${f.region}`];
  if (f.hideKeydeck) where.push(raw ? sql`user_agent_family <> ${KEYDECK_AGENT}` : sql`keydeck = 0`);
  for (const [field, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, Column][]) {
    const v = f[field];
    if (v === undefined || (v === '*' && field === 'errorCode')) continue;
    if (raw || columns.includes(column)) where.push(sql`${sql.ref(column)} = ${v}`);
  }
  // Refused calls only: on the raw events this is also what lets the refused calls' index serve the query
  // (a partial index, used when the query states its condition in the same words).
  if (f.errorCode !== undefined && raw) where.push(sql`error_code <> ''`);
  return where;
}

/** [from, to) split into the partial days at both ends (hourly rows) and the whole days between (daily rows). */
function segments(from: number, to: number, bucket: number | undefined): { grain: Grain; from: number; to: number }[] {
  const firstDay = Math.ceil(from / DAY_S) * DAY_S;
  const lastDay = Math.floor(to / DAY_S) * DAY_S;
  if (bucket === HOUR_S || lastDay <= firstDay) return [{ grain: 'hourly', from, to }];
  const out: { grain: Grain; from: number; to: number }[] = [{ grain: 'daily', from: firstDay, to: lastDay }];
  if (from < firstDay) out.push({ grain: 'hourly', from, to: firstDay });
  if (lastDay < to) out.push({ grain: 'hourly', from: lastDay, to });
  return out;
}

async function grouped(db: Db, f: UsageFilter, o: GroupOptions): Promise<Grouped[]> {
  const [from, to] = hours(f);
  const column = o.column ?? null;
  const raw = sourceFor(f, o.dim) === 'raw';
  const tExpr = (time: string) => (o.bucket ? sql`(${sql.ref(time)} / ${sql.lit(o.bucket)}) * ${sql.lit(o.bucket)}` : sql`0`);
  const nameExpr = column ? sql.ref(column) : sql`''`;
  let query: RawBuilder<Grouped>;
  const tail = o.limit
    ? sql`group by 1, 2 order by calls desc, name limit ${sql.lit(o.limit)}`
    : sql`group by 1, 2 order by t, name`;
  if (raw) {
    const where = conditions(f, [], true);
    if (o.errorsOnly && f.errorCode === undefined) where.push(sql`error_code <> ''`);
    query = sql<Grouped>`
      select ${tExpr('time')} as t, ${nameExpr} as name, count(*) as calls, sum(case when error_code <> '' then 1 else 0 end) as errors
      from usage_events
      where ${sql.join(where, sql` and `)} and time >= ${from} and time < ${to}
      ${tail}`;
  } else {
    const columns = Object.keys(NARROW_DIMS[o.dim]);
    const where = conditions(f, columns, false);
    // "Any error" (a filter or the errors chart) on a roll-up of all calls counts its errors column.
    const onlyErrors = (f.errorCode === '*' || o.errorsOnly) && o.dim !== 'errors';
    const calls = onlyErrors ? 'errors' : 'calls';
    const parts = segments(from, to, o.bucket).map(
      (s) => sql`
        select bucket, ${column ? sql.ref(column) : sql`''`} as name, ${sql.ref(calls)} as calls, errors
        from ${sql.table(narrowTable(s.grain, o.dim))}
        where ${sql.join(where, sql` and `)} and bucket >= ${s.from} and bucket < ${s.to}${onlyErrors ? sql` and errors > 0` : sql``}`,
    );
    query = sql<Grouped>`
      select ${tExpr('bucket')} as t, name, sum(calls) as calls, sum(errors) as errors
      from (${sql.join(parts, sql` union all `)}) s
      ${tail}`;
  }
  const { rows } = await query.execute(db);
  return rows.map((r) => ({ t: num(r.t), name: String(r.name), calls: num(r.calls), errors: num(r.errors) }));
}

export interface SeriesPoint {
  /** Bucket start, epoch seconds. */
  t: number;
  series: string;
  calls: number;
}

/** Calls per bucket, one series per operation. */
export async function callsOverTime(db: Db, f: UsageFilter, bucket = bucketFor(f.from, f.to)): Promise<SeriesPoint[]> {
  const rows = await grouped(db, f, { dim: 'ops', column: 'event_name', bucket });
  return rows.filter((r) => r.calls > 0).map((r) => ({ t: r.t, series: r.name, calls: r.calls }));
}

/** Refused calls per bucket, one series per error code. */
export async function errorsOverTime(db: Db, f: UsageFilter, bucket = bucketFor(f.from, f.to)): Promise<SeriesPoint[]> {
  const rows = await grouped(db, { ...f, errorCode: f.errorCode ?? '*' }, { dim: 'errors', column: 'error_code', bucket, errorsOnly: true });
  return rows.map((r) => ({ t: r.t, series: r.name, calls: r.calls }));
}

export interface TopItem {
  name: string;
  calls: number;
  errors: number;
}

async function top(db: Db, f: UsageFilter, dim: NarrowDim, column: Column, limit: number): Promise<TopItem[]> {
  const rows = await grouped(db, f, { dim, column, limit });
  return rows.filter((r) => r.calls > 0).map((r) => ({ name: r.name, calls: r.calls, errors: r.errors }));
}

export const topKeys = (db: Db, f: UsageFilter, limit = 10) => top(db, f, 'keys', 'key_arn', limit);
export const topCallers = (db: Db, f: UsageFilter, limit = 10) => top(db, f, 'callers', 'principal', limit);
export const topOperations = (db: Db, f: UsageFilter, limit = 20) => top(db, f, 'ops', 'event_name', limit);
export const topAgents = (db: Db, f: UsageFilter, limit = 10) => top(db, f, 'agents', 'user_agent_family', limit);

/** Total and refused calls in the filter (from the roll-up that holds the filtered column, if one does). */
export async function totals(db: Db, f: UsageFilter): Promise<{ calls: number; errors: number }> {
  const dim: NarrowDim =
    f.keyArn !== undefined ? 'keys' : f.principal !== undefined ? 'callers' : f.errorCode !== undefined && f.errorCode !== '*' ? 'errors' : 'ops';
  const [row] = await grouped(db, f, { dim });
  return { calls: row?.calls ?? 0, errors: row?.errors ?? 0 };
}

export interface PeakPoint {
  t: number;
  quotaClass: string;
  /** Calls in the busiest second of the bucket. */
  peak: number;
}

/** The busiest second per bucket and quota class (the whole account-region: quotas are shared). */
export async function peaksOverTime(db: Db, f: Pick<UsageFilter, 'account' | 'region' | 'from' | 'to'>, bucket = bucketFor(f.from, f.to)): Promise<PeakPoint[]> {
  const bucketExpr = sql<number>`(hour / ${sql.lit(bucket)}) * ${sql.lit(bucket)}`;
  const rows = await db
    .selectFrom('usage_peaks')
    .where('account', '=', f.account)
    .where('region', '=', f.region)
    .where('hour', '>=', Math.floor(f.from / HOUR_S) * HOUR_S)
    .where('hour', '<', f.to)
    .select((eb) => [bucketExpr.as('t'), 'quota_class', eb.fn.max('peak').as('peak')])
    .groupBy([bucketExpr, 'quota_class'])
    .orderBy('t')
    .orderBy('quota_class')
    .execute();
  return rows.map((r) => ({ t: num(r.t), quotaClass: r.quota_class, peak: num(r.peak) }));
}

/**
 * Billed (successful) calls of one UTC day, Region, key and request class — and, asked `by` 'api' or
 * 'caller', of one operation or caller (else `eventName` and `principal` are '').
 */
export interface DailyBilled {
  day: string;
  region: string;
  /** The key, or '' when the query asked for keys only where they set the price (asymmetric calls). */
  keyArn: string;
  eventName: string;
  principal: string;
  requestClass: string;
  calls: number;
}

export interface BilledOptions {
  /** One key's calls only (not with `by`: the roll-ups per API and caller keep the key only where it sets the price). */
  keyArn?: string;
  /**
   * 'priced': keep the key only on asymmetric calls, whose price depends on the key's spec, and add up the
   * other classes per day and Region — a few rows a day for the cost per day, the month and the forecast.
   * 'all' (default): per key, for the cost per key.
   */
  keys?: 'all' | 'priced';
  /** Per operation ('api') or caller ('caller') too, from their billing roll-ups (keys are then 'priced'). */
  by?: 'key' | 'api' | 'caller';
}

const BY_TABLE = { api: ['ops', 'event_name'], caller: ['callers', 'principal'] } as const;

/** Successful calls per UTC day, key and request class, across `regions` (the free tier spans Regions). */
export async function dailyBilled(db: Db, account: string, regions: string[], from: number, to: number, o: BilledOptions = {}): Promise<DailyBilled[]> {
  if (regions.length === 0) return [];
  const [start, end] = hours({ from, to });
  const by = o.by === 'api' || o.by === 'caller' ? BY_TABLE[o.by] : null;
  if (by && o.keyArn !== undefined) throw new RangeError('The cost per API or caller is for the whole account, not for one key.');
  // Priced, for the whole account: the billing roll-ups hold exactly that (a few rows a day).
  const priced = (o.keys === 'priced' || by !== null) && o.keyArn === undefined;
  const name = by ? sql.ref(by[1]) : sql`''`;
  const parts = segments(start, end, DAY_S).map((s) =>
    priced
      ? sql`
      select bucket, region, key_arn, request_class, ${name} as name, calls
      from ${sql.table(billedTable(s.grain, by ? by[0] : 'keys'))}
      where account = ${account} and region in (${sql.join(regions)}) and bucket >= ${s.from} and bucket < ${s.to}`
      : sql`
      select bucket, region, ${o.keys === 'priced' ? sql`case when request_class = 'asymmetric' then key_arn else '' end` : sql`key_arn`} as key_arn, request_class, '' as name, calls - errors as calls
      from ${sql.table(narrowTable(s.grain, 'keys'))}
      where account = ${account} and region in (${sql.join(regions)}) and bucket >= ${s.from} and bucket < ${s.to}${o.keyArn === undefined ? sql`` : sql` and key_arn = ${o.keyArn}`}`,
  );
  const { rows } = await sql<{ d: number; region: string; key_arn: string; request_class: string; name: string; calls: number }>`
    select (bucket / ${sql.lit(DAY_S)}) * ${sql.lit(DAY_S)} as d, region, key_arn, request_class, name, sum(calls) as calls
    from (${sql.join(parts, sql` union all `)}) s
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows
    .filter((r) => num(r.calls) > 0)
    .map((r) => ({
      day: new Date(num(r.d) * 1000).toISOString().slice(0, 10),
      region: r.region,
      keyArn: r.key_arn,
      eventName: o.by === 'api' ? String(r.name) : '',
      principal: o.by === 'caller' ? String(r.name) : '',
      requestClass: r.request_class,
      calls: num(r.calls),
    }));
}

/** The keys called in the filter's range (all of them, for the unused-keys view); Keydeck's own calls count unless hidden. */
export async function keysWithCalls(db: Db, f: Pick<UsageFilter, 'account' | 'region' | 'from' | 'to' | 'hideKeydeck'>): Promise<Set<string>> {
  const [from, to] = hours(f);
  const own = f.hideKeydeck ? sql` and keydeck = 0` : sql``;
  const parts = segments(from, to, DAY_S).map(
    (s) => sql`select distinct key_arn from ${sql.table(narrowTable(s.grain, 'keys'))} where account = ${f.account} and region = ${f.region} and bucket >= ${s.from} and bucket < ${s.to}${own}`,
  );
  const { rows } = await sql<{ key_arn: string }>`select distinct key_arn from (${sql.join(parts, sql` union all `)}) s`.execute(db);
  return new Set(rows.map((r) => r.key_arn).filter(Boolean));
}

export interface PageCharts {
  totals: { calls: number; errors: number };
  callsOverTime: SeriesPoint[];
  errorsOverTime: SeriesPoint[];
  topKeys: TopItem[];
  topCallers: TopItem[];
  topOperations: TopItem[];
  /** Calls by user agent family (which tool or SDK). */
  topAgents: TopItem[];
  peaks: PeakPoint[];
}

/**
 * Every chart of the usage page. Each chart leaves out the filter on its own dimension (cross-filtering),
 * so after picking an operation, an error, a key or a caller the other choices of that chart stay
 * visible and pickable.
 */
export async function pageCharts(db: Db, f: UsageFilter, bucket = bucketFor(f.from, f.to)): Promise<PageCharts> {
  // The calls by operation over time also give the top operations (same filter, same dimension): one
  // query fewer, and one scan of the raw events fewer when a filter sends the operations chart there.
  const [sum, byOperation, errors, keys, callers, agents, peaks] = await Promise.all([
    totals(db, f),
    grouped(db, { ...f, eventName: undefined }, { dim: 'ops', column: 'event_name', bucket }),
    errorsOverTime(db, { ...f, errorCode: f.errorCode === '*' ? '*' : undefined }, bucket),
    topKeys(db, { ...f, keyArn: undefined }, 10),
    topCallers(db, { ...f, principal: undefined }, 10),
    topAgents(db, f, 10),
    peaksOverTime(db, f, bucket),
  ]);
  const ops = new Map<string, TopItem>();
  for (const r of byOperation) {
    const item = ops.get(r.name) ?? { name: r.name, calls: 0, errors: 0 };
    item.calls += r.calls;
    item.errors += r.errors;
    ops.set(r.name, item);
  }
  const topOps = [...ops.values()]
    .filter((o) => o.calls > 0)
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, 20);
  return {
    totals: sum,
    callsOverTime: byOperation.filter((r) => r.calls > 0).map((r) => ({ t: r.t, series: r.name, calls: r.calls })),
    errorsOverTime: errors,
    topKeys: keys,
    topCallers: callers,
    topOperations: topOps,
    topAgents: agents,
    peaks,
  };
}

export interface EventRow {
  eventId: string;
  time: number;
  keyArn: string;
  eventName: string;
  principal: string;
  errorCode: string;
  userAgentFamily: string;
}

/**
 * Raw events in the filter, newest first, `limit` at a time after `before` (a keyset cursor); `userAgentFamily`
 * narrows them to one client family (the events table's drill-down, lib/usage-drill).
 */
export async function listEvents(db: Db, f: UsageFilter, limit = 200, before?: { time: number; eventId: string }, userAgentFamily?: string): Promise<EventRow[]> {
  let q = db
    .selectFrom('usage_events')
    .where('account', '=', f.account)
    .where('region', '=', f.region)
    .where('time', '>=', f.from)
    .where('time', '<', f.to);
  if (userAgentFamily !== undefined) q = q.where('user_agent_family', '=', userAgentFamily);
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
  return rows.map((r) => ({ eventId: r.event_id, time: num(r.time), keyArn: r.key_arn, eventName: r.event_name, principal: r.principal, errorCode: r.error_code, userAgentFamily: r.user_agent_family }));
}

/** One event's CloudTrail record (JSON text), for the drill-down. */
export async function eventJson(db: Db, account: string, region: string, eventId: string): Promise<string | undefined> {
  const row = await db.selectFrom('usage_events').select('json').where('event_id', '=', eventId).where('account', '=', account).where('region', '=', region).executeTakeFirst();
  return row?.json;
}
