/**
 * The usage page's aggregations as CloudTrail Lake SQL over an event data store — the path past one
 * database for accounts that have Lake (closed to new customers since 2026-05-31) — and a runner that
 * starts a query, polls it and pages its results into the same types the SQLite/PostgreSQL path returns
 * (lib/usage/aggregate.ts). Values enter the SQL only as escaped string literals or as numbers Keydeck
 * computed; the event data store id is checked against a strict pattern before it becomes the table name.
 *
 * Schema: "Supported SQL schemas for event data stores"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
 * eventTime is a timestamp, requestParameters a map<string,string>, userIdentity a struct (arn, type,
 * invokedBy, sessionContext.sessionIssuer.arn), resources an array of struct(accountId, type, arn).
 * Lake runs Trino SQL ("CloudTrail Lake SQL constraints", query-limitations.html) without INTERVAL, so
 * time bounds are literal timestamps, as in AWS's own examples.
 */
import { DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { BilledOptions, DailyBilled, PageCharts, PeakPoint, SeriesPoint, TopItem, UsageFilter } from './aggregate';
import { userAgentFamily } from './event';

/** An event data store's ARN or id; the id (the ARN's last part) is what FROM names. */
export function eventDataStoreId(arnOrId: string): string {
  const m = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/([A-Za-z0-9-]{3,128})$/.exec(arnOrId) ?? /^([A-Za-z0-9-]{3,128})$/.exec(arnOrId);
  if (!m) throw new LakeQueryError('ValidationException', 'The event data store must be its ARN (arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>) or its id (letters, digits and hyphens).');
  return m[1];
}

/** The Region of an event data store's ARN, if the value is an ARN. */
export function eventDataStoreRegion(arnOrId: string): string | undefined {
  return /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):/.exec(arnOrId)?.[1];
}

export class LakeQueryError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A SQL string literal: single quotes doubled (Trino has no backslash escapes), NUL refused. */
export function literal(value: string): string {
  if (value.includes('\0')) throw new LakeQueryError('ValidationException', 'A filter value contains a NUL character.');
  return `'${value.replaceAll("'", "''")}'`;
}

/** An integer Keydeck computed, checked before it is written into SQL. */
function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new LakeQueryError('ValidationException', `Not an integer: ${n}`);
  return String(n);
}

/** Epoch seconds as Lake's timestamp text ('2026-11-01 00:00:00', UTC). */
function time(epochS: number): string {
  return literal(new Date(Number(int(epochS)) * 1000).toISOString().slice(0, 19).replace('T', ' '));
}

// The caller as one stable name, as lib/usage/event.ts's principalOf: an assumed role's role ARN, a service's name, else the ARN.
export const PRINCIPAL =
  "CASE WHEN userIdentity.type = 'AssumedRole' AND userIdentity.sessionContext.sessionIssuer.arn IS NOT NULL THEN userIdentity.sessionContext.sessionIssuer.arn " +
  "WHEN userIdentity.type = 'AWSService' AND userIdentity.invokedBy IS NOT NULL THEN userIdentity.invokedBy " +
  "ELSE COALESCE(userIdentity.arn, userIdentity.invokedBy, 'unknown') END";
// The KMS key of the event, as toUsageEvent: the first resource of type AWS::KMS::Key, '' when none.
export const KEY_ARN = "COALESCE(element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).arn, '')";
const ERROR = "COALESCE(errorCode, '')";
const IS_ERROR = `${ERROR} <> ''`;
// userAgentFamily's first rule: any user agent naming keydeck is the console's own call.
const IS_KEYDECK = "lower(COALESCE(userAgent, '')) LIKE '%keydeck%'";
const param = (name: string) => `COALESCE(element_at(requestParameters, '${name}'), '')`;
const ENCRYPTION = `COALESCE(NULLIF(${param('encryptionAlgorithm')}, ''), NULLIF(${param('sourceEncryptionAlgorithm')}, ''), ${param('destinationEncryptionAlgorithm')})`;
const SYMMETRIC_OPS = ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom', 'ReEncrypt', 'VerifyMac'];
// lib/usage/event.ts's classes(), in SQL: the request-quota class and the price class of a call.
export const QUOTA_CLASS =
  `CASE WHEN eventName LIKE 'GenerateDataKeyPair%' THEN (CASE WHEN ${param('keyPairSpec')} LIKE 'RSA%' THEN 'rsa' ELSE 'ecc' END) ` +
  `WHEN ${param('signingAlgorithm')} LIKE 'RSASSA%' THEN 'rsa' WHEN ${param('signingAlgorithm')} LIKE 'ML_DSA%' THEN 'ml-dsa' WHEN ${param('signingAlgorithm')} <> '' THEN 'ecc' ` +
  `WHEN ${ENCRYPTION} LIKE 'RSAES%' THEN 'rsa' WHEN ${ENCRYPTION} LIKE 'SM2%' THEN 'ecc' WHEN eventName = 'DeriveSharedSecret' THEN 'ecc' ` +
  `WHEN eventName IN (${SYMMETRIC_OPS.map(literal).join(', ')}) THEN 'symmetric' ELSE 'other' END`;
export const REQUEST_CLASS =
  `CASE WHEN eventName LIKE 'GenerateDataKeyPair%' THEN (CASE WHEN ${param('keyPairSpec')} LIKE 'RSA%' THEN 'gdkp-rsa' ELSE 'gdkp-ecc' END) ` +
  `WHEN ${param('signingAlgorithm')} <> '' OR ${ENCRYPTION} LIKE 'RSAES%' OR ${ENCRYPTION} LIKE 'SM2%' OR eventName IN ('DeriveSharedSecret', 'GetPublicKey') THEN 'asymmetric' ` +
  `ELSE 'symmetric' END`;

const bucketOf = (bucket: number) => `CAST(floor(to_unixtime(eventTime) / ${int(bucket)}) * ${int(bucket)} AS bigint)`;

type Scope = Pick<UsageFilter, 'account' | 'region' | 'from' | 'to'>;

/** The WHERE clause of a filter: KMS events of the account and Region in [from, to), then each filter given. */
export function whereClause(f: UsageFilter | Scope, o: { errorsOnly?: boolean } = {}): string {
  const where = [
    "eventSource = 'kms.amazonaws.com'",
    `recipientAccountId = ${literal(f.account)}`,
    `awsRegion = ${literal(f.region)}`,
    `eventTime >= ${time(f.from)}`,
    `eventTime < ${time(f.to)}`,
  ];
  const filter = f as UsageFilter;
  if (filter.keyArn !== undefined) where.push(`${KEY_ARN} = ${literal(filter.keyArn)}`);
  if (filter.eventName !== undefined) where.push(`eventName = ${literal(filter.eventName)}`);
  if (filter.principal !== undefined) where.push(`(${PRINCIPAL}) = ${literal(filter.principal)}`);
  if (filter.errorCode === '*' || (o.errorsOnly && filter.errorCode === undefined)) where.push(IS_ERROR);
  else if (filter.errorCode !== undefined) where.push(`errorCode = ${literal(filter.errorCode)}`);
  if (filter.hideKeydeck) where.push(`NOT (${IS_KEYDECK})`);
  return where.join('\n  AND ');
}

const errorsColumn = `sum(CASE WHEN ${IS_ERROR} THEN 1 ELSE 0 END) AS errors`;

/** The SQL of each chart of the usage page, for event data store `eds` (its ARN or id). */
export const lakeSql = {
  /** Calls per bucket, one series per operation (columns t, series, calls). */
  callsOverTime: (eds: string, f: UsageFilter, bucket: number) =>
    `SELECT ${bucketOf(bucket)} AS t, eventName AS series, count(*) AS calls\nFROM ${eventDataStoreId(eds)}\nWHERE ${whereClause(f)}\nGROUP BY 1, 2\nORDER BY 1, 2`,
  /** Refused calls per bucket, one series per error code (columns t, series, calls). */
  errorsOverTime: (eds: string, f: UsageFilter, bucket: number) =>
    `SELECT ${bucketOf(bucket)} AS t, errorCode AS series, count(*) AS calls\nFROM ${eventDataStoreId(eds)}\nWHERE ${whereClause(f, { errorsOnly: true })}\nGROUP BY 1, 2\nORDER BY 1, 2`,
  /** The busiest keys (columns name, calls, errors). */
  topKeys: (eds: string, f: UsageFilter, limit: number) => top(eds, f, KEY_ARN, limit),
  /** The busiest callers (columns name, calls, errors). */
  topCallers: (eds: string, f: UsageFilter, limit: number) => top(eds, f, PRINCIPAL, limit),
  /** The busiest operations (columns name, calls, errors). */
  topOperations: (eds: string, f: UsageFilter, limit: number) => top(eds, f, 'eventName', limit),
  /** Calls per raw user agent (columns name, calls, errors); grouped into families after the query. */
  userAgents: (eds: string, f: UsageFilter) => top(eds, f, "COALESCE(userAgent, '')", 1000),
  /** Total and refused calls (columns calls, errors). */
  totals: (eds: string, f: UsageFilter) => `SELECT count(*) AS calls, ${errorsColumn}\nFROM ${eventDataStoreId(eds)}\nWHERE ${whereClause(f)}`,
  /** The busiest second per bucket and quota class, whole account-Region (columns t, quotaClass, peak). */
  peaks: (eds: string, f: Scope, bucket: number) =>
    `SELECT t, quotaClass, max(calls) AS peak\nFROM (\n  SELECT ${bucketOf(bucket)} AS t, ${QUOTA_CLASS} AS quotaClass, ${bucketOf(1)} AS second, count(*) AS calls\n  FROM ${eventDataStoreId(eds)}\n  WHERE ${whereClause({ account: f.account, region: f.region, from: f.from, to: f.to })}\n  GROUP BY 1, 2, 3\n) s\nGROUP BY 1, 2\nORDER BY 1, 2`,
  /**
   * The cost inputs: successful calls per UTC day, Region, key and request class across `regions` (the
   * free tier spans them). keys 'priced' keeps the key only where its spec sets the price (asymmetric).
   */
  dailyBilled: (eds: string, account: string, regions: string[], from: number, to: number, o: BilledOptions = {}) => {
    if (regions.length === 0) throw new LakeQueryError('ValidationException', 'At least one Region is needed.');
    const by = o.by === 'api' ? 'eventName' : o.by === 'caller' ? `(${PRINCIPAL})` : null;
    if (by && o.keyArn !== undefined) throw new LakeQueryError('ValidationException', 'The cost per API or caller is for the whole account, not for one key.');
    const key = o.keys === 'priced' || by ? `CASE WHEN (${REQUEST_CLASS}) = 'asymmetric' THEN ${KEY_ARN} ELSE '' END` : KEY_ARN;
    const where = [
      "eventSource = 'kms.amazonaws.com'",
      `recipientAccountId = ${literal(account)}`,
      `awsRegion IN (${regions.map(literal).join(', ')})`,
      `eventTime >= ${time(from)}`,
      `eventTime < ${time(to)}`,
      `NOT (${IS_ERROR})`,
      ...(o.keyArn === undefined ? [] : [`${KEY_ARN} = ${literal(o.keyArn)}`]),
    ];
    const name = by ? `, ${by} AS name` : '';
    return `SELECT date_format(eventTime, '%Y-%m-%d') AS day, awsRegion AS region, ${key} AS keyArn, ${REQUEST_CLASS} AS requestClass${name}, count(*) AS calls\nFROM ${eventDataStoreId(eds)}\nWHERE ${where.join('\n  AND ')}\nGROUP BY 1, 2, 3, 4${by ? ', 5' : ''}`;
  },
};

function top(eds: string, f: UsageFilter, expr: string, limit: number): string {
  return `SELECT ${expr} AS name, count(*) AS calls, ${errorsColumn}\nFROM ${eventDataStoreId(eds)}\nWHERE ${whereClause(f)}\nGROUP BY 1\nORDER BY calls DESC, name\nLIMIT ${int(limit)}`;
}

export interface LakeRunOptions {
  /** Between DescribeQuery polls; default 1 s. */
  pollMs?: number;
  /** Give up (and CancelQuery is not attempted: Lake times queries out itself) after this long; default 5 min. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The event data store's owner, when it is another account's (EventDataStoreOwnerAccountId). */
  ownerAccountId?: string;
}

export interface LakeResult {
  rows: Record<string, string>[];
  /** What Lake billed the query for (QueryStatistics.BytesScanned), when it said. */
  bytesScanned?: number;
}

/** Starts a query, polls DescribeQuery until it finishes, then reads every GetQueryResults page. */
export async function runLakeQuery(client: CloudTrailClient, sql: string, o: LakeRunOptions = {}): Promise<LakeResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const owner = o.ownerAccountId ? { EventDataStoreOwnerAccountId: o.ownerAccountId } : {};
  const { QueryId } = await client.send(new StartQueryCommand({ QueryStatement: sql, ...owner }));
  if (!QueryId) throw new LakeQueryError('LakeQueryFailed', 'StartQuery returned no query id.');
  const deadline = Date.now() + (o.maxWaitMs ?? 300_000);
  let bytesScanned: number | undefined;
  for (;;) {
    const d = await client.send(new DescribeQueryCommand({ QueryId, ...owner }));
    bytesScanned = d.QueryStatistics?.BytesScanned ?? bytesScanned;
    if (d.QueryStatus === 'FINISHED') break;
    if (d.QueryStatus === 'FAILED' || d.QueryStatus === 'CANCELLED' || d.QueryStatus === 'TIMED_OUT') {
      throw new LakeQueryError('LakeQueryFailed', `CloudTrail Lake query ${QueryId} ${d.QueryStatus}${d.ErrorMessage ? `: ${d.ErrorMessage}` : ''}`);
    }
    if (Date.now() >= deadline) throw new LakeQueryError('LakeQueryTimeout', `CloudTrail Lake query ${QueryId} still ${d.QueryStatus ?? 'pending'} after ${Math.round((o.maxWaitMs ?? 300_000) / 1000)} s.`);
    await sleep(o.pollMs ?? 1000);
  }
  const rows: Record<string, string>[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryId, NextToken, MaxQueryResults: 1000, ...owner }));
    // Each row is a list of one-column objects: [{ "t": "1764547200" }, { "series": "Encrypt" }, …].
    for (const row of page.QueryResultRows ?? []) rows.push(Object.assign({}, ...row) as Record<string, string>);
    NextToken = page.NextToken;
  } while (NextToken);
  return { rows, bytesScanned };
}

const num = (v: string | undefined) => Number(v ?? 0) || 0;
const series = (rows: Record<string, string>[]): SeriesPoint[] => rows.map((r) => ({ t: num(r.t), series: r.series ?? '', calls: num(r.calls) })).filter((p) => p.calls > 0);
const items = (rows: Record<string, string>[]): TopItem[] => rows.map((r) => ({ name: r.name ?? '', calls: num(r.calls), errors: num(r.errors) })).filter((i) => i.calls > 0);

/** The usage aggregations answered by CloudTrail Lake, in lib/usage/aggregate.ts's result types. */
export function lakeSource(client: CloudTrailClient, eds: string, o: LakeRunOptions = {}) {
  const run = async (sql: string) => (await runLakeQuery(client, sql, o)).rows;
  return {
    callsOverTime: async (f: UsageFilter, bucket: number) => series(await run(lakeSql.callsOverTime(eds, f, bucket))),
    errorsOverTime: async (f: UsageFilter, bucket: number) => series(await run(lakeSql.errorsOverTime(eds, f, bucket))),
    topKeys: async (f: UsageFilter, limit = 10) => items(await run(lakeSql.topKeys(eds, f, limit))),
    topCallers: async (f: UsageFilter, limit = 10) => items(await run(lakeSql.topCallers(eds, f, limit))),
    topOperations: async (f: UsageFilter, limit = 20) => items(await run(lakeSql.topOperations(eds, f, limit))),
    /** Calls per user agent family (the SQLite path stores the family; Lake has the raw user agent). */
    topAgents: async (f: UsageFilter, limit = 10): Promise<TopItem[]> => {
      const families = new Map<string, TopItem>();
      for (const r of items(await run(lakeSql.userAgents(eds, f)))) {
        const name = userAgentFamily(r.name);
        const item = families.get(name) ?? { name, calls: 0, errors: 0 };
        item.calls += r.calls;
        item.errors += r.errors;
        families.set(name, item);
      }
      return [...families.values()].sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name)).slice(0, limit);
    },
    totals: async (f: UsageFilter) => {
      const [r] = await run(lakeSql.totals(eds, f));
      return { calls: num(r?.calls), errors: num(r?.errors) };
    },
    peaksOverTime: async (f: Scope, bucket: number): Promise<PeakPoint[]> =>
      (await run(lakeSql.peaks(eds, f, bucket))).map((r) => ({ t: num(r.t), quotaClass: r.quotaClass ?? 'other', peak: num(r.peak) })),
    dailyBilled: async (account: string, regions: string[], from: number, to: number, opts: BilledOptions = {}): Promise<DailyBilled[]> =>
      (await run(lakeSql.dailyBilled(eds, account, regions, from, to, opts)))
        .map((r) => ({
          day: r.day ?? '',
          region: r.region ?? '',
          keyArn: r.keyArn ?? '',
          eventName: opts.by === 'api' ? (r.name ?? '') : '',
          principal: opts.by === 'caller' ? (r.name ?? '') : '',
          requestClass: r.requestClass ?? 'symmetric',
          calls: num(r.calls),
        }))
        .filter((r) => r.calls > 0),
  };
}

/** Every chart of the usage page from Lake, with the same cross-filtering as aggregate.ts's pageCharts. */
export async function lakePageCharts(source: ReturnType<typeof lakeSource>, f: UsageFilter, bucket: number): Promise<PageCharts> {
  const [sum, calls, errors, keys, callers, ops, agents, peaks] = await Promise.all([
    source.totals(f),
    source.callsOverTime({ ...f, eventName: undefined }, bucket),
    source.errorsOverTime({ ...f, errorCode: f.errorCode === '*' ? '*' : undefined }, bucket),
    source.topKeys({ ...f, keyArn: undefined }, 10),
    source.topCallers({ ...f, principal: undefined }, 10),
    source.topOperations({ ...f, eventName: undefined }, 20),
    source.topAgents(f, 10),
    source.peaksOverTime(f, bucket),
  ]);
  return { totals: sum, callsOverTime: calls, errorsOverTime: errors, topKeys: keys, topCallers: callers, topOperations: ops, topAgents: agents, peaks };
}
