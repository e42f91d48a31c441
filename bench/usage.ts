/**
 * `npm run bench:usage`: the usage store's figures, in one run. Prints; asserts nothing.
 * 1. Ingest from the emulator through LookupEvents with throttling off (events/s) and the process's peak
 *    memory while it runs.
 * 2. 1,000,000 events written into the embedded store (SQLite) at ingest's batch size: write rate and
 *    file size.
 * 3. The chart queries of the /usage page for 30 and 90 days from the roll-ups (target < 150 ms), and
 *    the same aggregations computed from the raw events as the baseline.
 * Set BENCH_EVENTS (1,000,000) and BENCH_INGEST_CALLS (20,000) to change the sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateKeyCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { createEmulator } from '../lib/emulator/index';
import { openStore } from '../lib/store/open';
import { callsOverTime, dailyBilled, errorsOverTime, pageCharts, peaksOverTime, topAgents, topCallers, topKeys, topOperations, totals, type UsageFilter } from '../lib/usage/aggregate';
import type { UsageEvent } from '../lib/usage/event';
import { DAY_S, NARROW_DIMS, insertEvents, narrowTable, type NarrowDim } from '../lib/usage/event-store';
import { syncAccountRegion } from '../lib/usage/ingest';
import { TokenBucket } from '../lib/usage/token-bucket';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const INGEST_CALLS = Number(process.env.BENCH_INGEST_CALLS ?? 20_000);
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bench-usage-'));

console.log(`Keydeck usage benchmark — node ${process.version}, ${os.cpus().length} cores\n`);

// ---- 1. ingest from the emulator ------------------------------------------------------------
{
  let now = Date.now() - 10 * DAY_S * 1000;
  const emulator = createEmulator({ clock: () => new Date(now) });
  const kms = emulator.kmsClient({ region: REGION });
  const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const step = Math.floor((10 * DAY_S * 1000) / INGEST_CALLS);
  const made = performance.now();
  for (let i = 0; i < INGEST_CALLS; i++) {
    now += step;
    if (i % 3) await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') }));
    else await kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256' }));
  }
  console.log(`made ${fmt(INGEST_CALLS)} KMS calls in the emulator in ${((performance.now() - made) / 1000).toFixed(1)} s`);
  const store = await openStore({ dataDir: path.join(dir, 'ingest') });
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  // Time spent waiting on LookupEvents (the emulator's side) vs the rest (parsing, the store's writes).
  const cloudtrail = emulator.cloudTrailClient({ region: REGION });
  const send = cloudtrail.send.bind(cloudtrail);
  let lookupMs = 0;
  cloudtrail.send = (async (command: Parameters<typeof send>[0]) => {
    const t = performance.now();
    try {
      return await send(command);
    } finally {
      lookupMs += performance.now() - t;
    }
  }) as typeof cloudtrail.send;
  const start = performance.now();
  const result = await syncAccountRegion({
    cloudtrail,
    store,
    account: ACCOUNT,
    region: REGION,
    now: () => now,
    bucket: new TokenBucket({ ratePerSecond: 1e9 }),
  });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(`ingest, throttling off: ${fmt(result.events)} events in ${result.pages} pages, ${seconds.toFixed(1)} s → ${fmt(result.events / seconds)} events/s (${fmt(result.pages / seconds)} LookupEvents pages/s)`);
  console.log(`  of which LookupEvents answering ${(lookupMs / 1000).toFixed(1)} s, Keydeck's parsing and store writes ${(seconds - lookupMs / 1000).toFixed(1)} s → ${fmt(result.events / (seconds - lookupMs / 1000))} events/s on Keydeck's side`);
  console.log(`  at AWS's 2 requests/s the same sync takes ${fmt(result.pages / 2)} s (${(result.pages / 2 / 60).toFixed(1)} min)`);
  console.log(`  process memory: ${mb(baseline)} before (emulator with its events), peak ${mb(peak)} during ingest (+${mb(peak - baseline)})  target peak < 300 MB`);
  await store.close();
  await emulator.close();
}

// ---- 2. a million events in the store -----------------------------------------------------
const store = await openStore({ dataDir: path.join(dir, 'million') });
const end = Math.floor(Date.now() / 3600_000) * 3600 + 3600;
{
  let seed = 7;
  const r = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const keys = Array.from({ length: 200 }, (_, i) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${String(i).padStart(8, '0')}-1111-2222-3333-444455556666`);
  const callers = Array.from({ length: 40 }, (_, i) => `arn:aws:iam::${ACCOUNT}:role/service-${i}`);
  const ops = ['Decrypt', 'Decrypt', 'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKey', 'Sign', 'DescribeKey', 'ReEncrypt', 'GenerateMac'];
  const errors = ['', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'AccessDenied', 'ThrottlingException'];
  const pad = 'x'.repeat(600); // a CloudTrail record is ~1 KB
  const start = performance.now();
  const batch = 5_000;
  for (let i = 0; i < EVENTS; i += batch) {
    const events: UsageEvent[] = [];
    for (let j = i; j < Math.min(EVENTS, i + batch); j++) {
      // Skewed like real traffic: a few keys and callers make most calls, more in business hours.
      // Sign only on the ten asymmetric keys, as in KMS.
      const eventName = ops[Math.floor(r() * ops.length)];
      const key = eventName === 'Sign' ? keys[190 + Math.floor(r() * 10)] : keys[Math.floor(r() ** 3 * 190)];
      events.push({
        eventId: `00000000-0000-4000-8000-${String(j).padStart(12, '0')}`,
        time: end - 1 - Math.floor(r() * 90 * DAY_S),
        account: ACCOUNT,
        region: REGION,
        keyArn: key,
        eventName,
        principal: callers[Math.floor(r() ** 2 * callers.length)],
        errorCode: errors[Math.floor(r() * errors.length)],
        userAgentFamily: r() < 0.7 ? 'aws-sdk-java' : 'boto3',
        quotaClass: eventName === 'Sign' ? 'ecc' : eventName === 'DescribeKey' ? 'other' : 'symmetric',
        requestClass: eventName === 'Sign' ? 'asymmetric' : 'symmetric',
        json: `{"eventID":"${j}","pad":"${pad}"}`,
      });
    }
    await store.db.transaction().execute((trx) => insertEvents(trx, events));
  }
  const seconds = (performance.now() - start) / 1000;
  const size = fs.readdirSync(path.join(dir, 'million')).reduce((s, f) => s + fs.statSync(path.join(dir, 'million', f)).size, 0);
  const counts: string[] = [];
  for (const grain of ['hourly', 'daily'] as const) {
    for (const dim of Object.keys(NARROW_DIMS) as NarrowDim[]) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(narrowTable(grain, dim))}`.execute(store.db);
      counts.push(`${grain} ${dim} ${fmt(Number(rows[0].n))}`);
    }
  }
  console.log(`\nstore (SQLite, WAL): ${fmt(EVENTS)} events written in ${seconds.toFixed(1)} s → ${fmt(EVENTS / seconds)} events/s with the roll-ups and raw-event indexes maintained`);
  console.log(`  files ${mb(size)} (${fmt(size / EVENTS)} bytes an event, the CloudTrail JSON included)`);
  console.log(`  narrow roll-up rows: ${counts.join(', ')}`);
}

// ---- 3. chart queries: roll-ups vs raw events ----------------------------------------------
// The page's queries as lib/usage/report.ts makes them: every chart (pageCharts) and the billed requests
// from the first of the month the range starts in (the cost chart, month to date and the forecast).
const billingFrom = (f: UsageFilter) => {
  const d = new Date(Math.min(f.from, end - 8 * DAY_S) * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
};
const monthStart = (() => {
  const d = new Date(end * 1000 - 1);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
})();
const billed = (f: UsageFilter) =>
  Promise.all([dailyBilled(store.db, ACCOUNT, [REGION], billingFrom(f), f.to, { keys: 'priced' }), dailyBilled(store.db, ACCOUNT, [REGION], monthStart, f.to)]);
const page = (f: UsageFilter) => Promise.all([pageCharts(store.db, f), billed(f)]);
const charts: [string, (f: UsageFilter) => Promise<unknown>][] = [
  ['totals', (f) => totals(store.db, f)],
  ['calls over time', (f) => callsOverTime(store.db, { ...f, eventName: undefined })],
  ['errors over time', (f) => errorsOverTime(store.db, { ...f, errorCode: f.errorCode === '*' ? '*' : undefined })],
  ['top keys', (f) => topKeys(store.db, { ...f, keyArn: undefined })],
  ['top callers', (f) => topCallers(store.db, { ...f, principal: undefined })],
  ['top operations', (f) => topOperations(store.db, { ...f, eventName: undefined })],
  ['user agents', (f) => topAgents(store.db, f)],
  ['peaks', (f) => peaksOverTime(store.db, f)],
  ['billed requests (cost per day, this month per key)', billed],
];
async function time(run: () => Promise<unknown>, n: number): Promise<number> {
  await run(); // warm the page cache
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    xs.push(performance.now() - t);
  }
  return median(xs);
}
async function bruteForce(f: UsageFilter) {
  const db = store.db;
  const w = sql`account = ${f.account} and region = ${f.region} and time >= ${f.from} and time < ${f.to}`;
  await Promise.all([
    sql`select (time / 86400) * 86400 as t, event_name, count(*) from usage_events where ${w} group by 1, 2`.execute(db),
    sql`select (time / 86400) * 86400 as t, error_code, count(*) from usage_events where ${w} and error_code <> '' group by 1, 2`.execute(db),
    sql`select key_arn, count(*) as n from usage_events where ${w} group by 1 order by n desc limit 10`.execute(db),
    sql`select principal, count(*) as n from usage_events where ${w} group by 1 order by n desc limit 10`.execute(db),
    sql`select event_name, count(*) as n from usage_events where ${w} group by 1 order by n desc limit 20`.execute(db),
    sql`select user_agent_family, count(*) as n from usage_events where ${w} group by 1 order by n desc limit 10`.execute(db),
    sql`select count(*), sum(case when error_code <> '' then 1 else 0 end) from usage_events where ${w}`.execute(db),
    sql`select t, max(n) from (select (time / 86400) * 86400 as t, time, count(*) as n from usage_events where ${w} and event_name in ('Encrypt','Decrypt','GenerateDataKey','ReEncrypt','GenerateMac') group by 1, 2) s group by 1`.execute(db),
    sql`select (time / 86400) * 86400 as d, key_arn, request_class, count(*) from usage_events where account = ${f.account} and region = ${f.region} and time >= ${billingFrom(f)} and time < ${f.to} and error_code = '' group by 1, 2, 3`.execute(db),
  ]);
}
console.log('');
const topKey = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${'0'.repeat(8)}-1111-2222-3333-444455556666`;
const quietKey = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${'150'.padStart(8, '0')}-1111-2222-3333-444455556666`;
for (const days of [30, 90]) {
  const f: UsageFilter = { account: ACCOUNT, region: REGION, from: end - days * DAY_S, to: end };
  const each: string[] = [];
  for (const [name, run] of charts) each.push(`${name} ${(await time(() => run(f), 5)).toFixed(1)}`);
  const a = await time(() => page(f), 5);
  const b = await time(() => bruteForce(f), 3);
  console.log(`${days} days: the page's queries from the roll-ups ${a.toFixed(0)} ms in all (median of 5)  ${a < 150 ? 'target < 150 ms: met' : 'target < 150 ms: NOT met'}`);
  console.log(`  each chart (ms): ${each.join(', ')}`);
  console.log(`  the same from the raw events (brute force) ${b.toFixed(0)} ms → the roll-ups are ${(b / a).toFixed(0)}× faster`);
  // Filters on a key (its charts by operation, caller, error read its raw events through the key index).
  for (const [label, filter] of [
    ['filtered by the busiest key (~17% of the calls)', { keyArn: topKey }],
    ['filtered by a quiet key', { keyArn: quietKey }],
    ['filtered by the busiest key AND AccessDenied', { keyArn: topKey, errorCode: 'AccessDenied' }],
    ['filtered by a caller AND an operation', { principal: `arn:aws:iam::${ACCOUNT}:role/service-3`, eventName: 'Encrypt' }],
  ] as const) {
    const ms = await time(() => page({ ...f, ...filter }), 3);
    console.log(`  page ${label}: ${ms.toFixed(0)} ms (median of 3; combined filters read raw events by index)`);
  }
}
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
