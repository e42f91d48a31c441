/**
 * The usage charts' queries, answered from the hourly roll-ups (and the hourly peaks), never from the raw
 * events; the raw events serve only the drill-down table. Portable SQL through Kysely (SQLite, PostgreSQL).
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from '@/lib/store';
import { DAY_S, HOUR_S, type Db } from './event-store';

export const RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 } as const;
export type RangeName = keyof typeof RANGES;

export interface UsageFilter {
  account: string;
  region: string;
  /** Epoch seconds, [from, to). */
  from: number;
  to: number;
  keyArn?: string;
  eventName?: string;
  principal?: string;
  /** An error code, or '*' for any refused call. */
  errorCode?: string;
}

/** Chart buckets: hours for a day or a week, days beyond. */
export function bucketFor(from: number, to: number): number {
  return to - from <= 8 * DAY_S ? HOUR_S : DAY_S;
}

type RollupQuery = SelectQueryBuilder<Database, 'usage_rollups', object>;

function filtered(db: Db, f: UsageFilter): RollupQuery {
  let q = db
    .selectFrom('usage_rollups')
    .where('account', '=', f.account)
    .where('region', '=', f.region)
    .where('hour', '>=', Math.floor(f.from / HOUR_S) * HOUR_S)
    .where('hour', '<', f.to);
  if (f.keyArn !== undefined) q = q.where('key_arn', '=', f.keyArn);
  if (f.eventName !== undefined) q = q.where('event_name', '=', f.eventName);
  if (f.principal !== undefined) q = q.where('principal', '=', f.principal);
  if (f.errorCode === '*') q = q.where('error_code', '<>', '');
  else if (f.errorCode !== undefined) q = q.where('error_code', '=', f.errorCode);
  return q;
}

const bucketExpr = (bucket: number) => sql<number>`(hour / ${sql.lit(bucket)}) * ${sql.lit(bucket)}`;
const sumCalls = (eb: ExpressionBuilder<Database, 'usage_rollups'>) => eb.fn.sum<number>('calls');
const num = (v: unknown) => Number(v ?? 0);

export interface SeriesPoint {
  /** Bucket start, epoch seconds. */
  t: number;
  series: string;
  calls: number;
}

/** Calls per bucket, one series per operation. */
export async function callsOverTime(db: Db, f: UsageFilter, bucket = bucketFor(f.from, f.to)): Promise<SeriesPoint[]> {
  const rows = await filtered(db, f)
    .select((eb) => [bucketExpr(bucket).as('t'), 'event_name', sumCalls(eb).as('calls')])
    .groupBy([bucketExpr(bucket), 'event_name'])
    .orderBy('t')
    .orderBy('event_name')
    .execute();
  return rows.map((r) => ({ t: num(r.t), series: r.event_name, calls: num(r.calls) }));
}

/** Refused calls per bucket, one series per error code. */
export async function errorsOverTime(db: Db, f: UsageFilter, bucket = bucketFor(f.from, f.to)): Promise<SeriesPoint[]> {
  const rows = await filtered(db, { ...f, errorCode: f.errorCode ?? '*' })
    .select((eb) => [bucketExpr(bucket).as('t'), 'error_code', sumCalls(eb).as('calls')])
    .groupBy([bucketExpr(bucket), 'error_code'])
    .orderBy('t')
    .orderBy('error_code')
    .execute();
  return rows.map((r) => ({ t: num(r.t), series: r.error_code, calls: num(r.calls) }));
}

export interface TopItem {
  name: string;
  calls: number;
  errors: number;
}

async function top(db: Db, f: UsageFilter, column: 'key_arn' | 'principal' | 'event_name', limit: number): Promise<TopItem[]> {
  const rows = await filtered(db, f)
    .select((eb) => [
      column,
      sumCalls(eb).as('calls'),
      eb.fn.sum<number>(eb.case().when('error_code', '<>', '').then(eb.ref('calls')).else(0).end()).as('errors'),
    ])
    .groupBy(column)
    .orderBy('calls', 'desc')
    .orderBy(column)
    .limit(limit)
    .execute();
  return rows.map((r) => ({ name: (r as Record<string, unknown>)[column] as string, calls: num(r.calls), errors: num(r.errors) }));
}

export const topKeys = (db: Db, f: UsageFilter, limit = 10) => top(db, f, 'key_arn', limit);
export const topCallers = (db: Db, f: UsageFilter, limit = 10) => top(db, f, 'principal', limit);
export const topOperations = (db: Db, f: UsageFilter, limit = 20) => top(db, f, 'event_name', limit);

/** Total and refused calls in the filter. */
export async function totals(db: Db, f: UsageFilter): Promise<{ calls: number; errors: number }> {
  const row = await filtered(db, f)
    .select((eb) => [sumCalls(eb).as('calls'), eb.fn.sum<number>(eb.case().when('error_code', '<>', '').then(eb.ref('calls')).else(0).end()).as('errors')])
    .executeTakeFirst();
  return { calls: num(row?.calls), errors: num(row?.errors) };
}

export interface PeakPoint {
  t: number;
  quotaClass: string;
  /** Calls in the busiest second of the bucket. */
  peak: number;
}

/** The busiest second per bucket and quota class (the whole account-region: quotas are shared). */
export async function peaksOverTime(db: Db, f: Pick<UsageFilter, 'account' | 'region' | 'from' | 'to'>, bucket = bucketFor(f.from, f.to)): Promise<PeakPoint[]> {
  const rows = await db
    .selectFrom('usage_peaks')
    .where('account', '=', f.account)
    .where('region', '=', f.region)
    .where('hour', '>=', Math.floor(f.from / HOUR_S) * HOUR_S)
    .where('hour', '<', f.to)
    .select((eb) => [bucketExpr(bucket).as('t'), 'quota_class', eb.fn.max('peak').as('peak')])
    .groupBy([bucketExpr(bucket), 'quota_class'])
    .orderBy('t')
    .orderBy('quota_class')
    .execute();
  return rows.map((r) => ({ t: num(r.t), quotaClass: r.quota_class, peak: num(r.peak) }));
}

export interface DailyBilled {
  day: string;
  region: string;
  keyArn: string;
  eventName: string;
  principal: string;
  requestClass: string;
  calls: number;
}

/** Successful calls per UTC day and billing dimension, across `regions` (the free tier spans Regions). */
export async function dailyBilled(db: Db, account: string, regions: string[], from: number, to: number): Promise<DailyBilled[]> {
  if (regions.length === 0) return [];
  const day = sql<number>`(hour / ${sql.lit(DAY_S)}) * ${sql.lit(DAY_S)}`;
  const rows = await db
    .selectFrom('usage_rollups')
    .where('account', '=', account)
    .where('region', 'in', regions)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .where('error_code', '=', '')
    .select((eb) => [day.as('d'), 'region', 'key_arn', 'event_name', 'principal', 'request_class', eb.fn.sum<number>('calls').as('calls')])
    .groupBy([day, 'region', 'key_arn', 'event_name', 'principal', 'request_class'])
    .execute();
  return rows.map((r) => ({
    day: new Date(num(r.d) * 1000).toISOString().slice(0, 10),
    region: r.region,
    keyArn: r.key_arn,
    eventName: r.event_name,
    principal: r.principal,
    requestClass: r.request_class,
    calls: num(r.calls),
  }));
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

/** Raw events in the filter, newest first, `limit` at a time after `before` (a keyset cursor). */
export async function listEvents(db: Db, f: UsageFilter, limit = 200, before?: { time: number; eventId: string }): Promise<EventRow[]> {
  let q = db
    .selectFrom('usage_events')
    .where('account', '=', f.account)
    .where('region', '=', f.region)
    .where('time', '>=', f.from)
    .where('time', '<', f.to);
  if (f.keyArn !== undefined) q = q.where('key_arn', '=', f.keyArn);
  if (f.eventName !== undefined) q = q.where('event_name', '=', f.eventName);
  if (f.principal !== undefined) q = q.where('principal', '=', f.principal);
  if (f.errorCode === '*') q = q.where('error_code', '<>', '');
  else if (f.errorCode !== undefined) q = q.where('error_code', '=', f.errorCode);
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
