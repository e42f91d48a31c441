/**
 * `npm run bench:usage`: the usage store's figures, in one run. Prints; asserts nothing.
 * 1. Ingest from the emulator through LookupEvents with throttling off (events/s) and the process's peak
 *    memory while it runs.
 * 2. 1,000,000 events written into the embedded store (SQLite) at ingest's batch size: write rate and
 *    file size.
 * 3. The queries of the /usage page for 30 and 90 days (the charts, the billed requests of the cost
 *    chart and the month, the keys called), each and in all, wall-clock and CPU, with a met / not met line
 *    against the 150 ms target; the same aggregations computed from the raw events as the baseline; and
 *    the page filtered by a key, a caller, an error, an operation and by two of them.
 * Set BENCH_EVENTS (1,000,000) and BENCH_INGEST_CALLS (20,000) to change the sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CreateKeyCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { createEmulator } from '../lib/emulator/index';
import { openStore } from '../lib/store/open';
import { callsOverTime, dailyBilled, errorsOverTime, keysWithCalls, pageCharts, peaksOverTime, topAgents, topCallers, topKeys, topOperations, totals, type UsageFilter } from '../lib/usage/aggregate';
import type { UsageEvent } from '../lib/usage/event';
import { DAY_S, NARROW_DIMS, insertEvents, narrowTable, type NarrowDim } from '../lib/usage/event-store';
import { syncAccountRegion } from '../lib/usage/ingest';
import { TokenBucket } from '../lib/usage/token-bucket';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A full garbage collection before the memory baseline, without --expose-gc on tsx's command line.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
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
  collectGarbage(); // the 20,000 calls' garbage, so the baseline is what the emulator holds
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
  console.log(
    `  process memory (RSS): ${mb(baseline)} before (the emulator with its events, after a full GC), peak ${mb(peak)} during ingest (+${mb(peak - baseline)}) — target peak < 300 MB ${peak < 300 * 1024 * 1024 ? 'met' : 'NOT met'}`,
  );
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
// The page's queries as lib/usage/report.ts makes them: every chart (pageCharts), the billed requests
// from the first of the month the range starts in (the cost chart, month to date and the forecast) and
// this month's per key (the cost per key), and the keys called in the range (the unused-keys view).
const TARGET_MS = 150;
const billingFrom = (f: UsageFilter) => {
  const d = new Date(Math.min(f.from, end - 8 * DAY_S) * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
};
const monthStart = (() => {
  const d = new Date(end * 1000 - 1);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
})();
const queries: [string, (f: UsageFilter) => Promise<unknown>][] = [
  ['totals', (f) => totals(store.db, f)],
  ['calls over time', (f) => callsOverTime(store.db, { ...f, eventName: undefined })],
  ['errors over time', (f) => errorsOverTime(store.db, { ...f, errorCode: f.errorCode === '*' ? '*' : undefined })],
  ['top keys', (f) => topKeys(store.db, { ...f, keyArn: undefined })],
  ['top callers', (f) => topCallers(store.db, { ...f, principal: undefined })],
  ['top operations (the page takes them from calls over time)', (f) => topOperations(store.db, { ...f, eventName: undefined })],
  ['user agents', (f) => topAgents(store.db, f)],
  ['peaks', (f) => peaksOverTime(store.db, f)],
  ['billed per day (cost chart, month, forecast)', (f) => dailyBilled(store.db, ACCOUNT, [REGION], billingFrom(f), f.to, { keys: 'priced' })],
  ['billed this month per key', (f) => dailyBilled(store.db, ACCOUNT, [REGION], monthStart, f.to)],
  ['billed this month per API', (f) => dailyBilled(store.db, ACCOUNT, [REGION], monthStart, f.to, { by: 'api' })],
  ['billed this month per caller', (f) => dailyBilled(store.db, ACCOUNT, [REGION], monthStart, f.to, { by: 'caller' })],
  ['keys with calls (unused keys)', (f) => keysWithCalls(store.db, { ...f, hideKeydeck: true })],
];
// As the page runs them: the charts together, the billing queries together, then the keys called.
const page = async (f: UsageFilter) => {
  await pageCharts(store.db, f);
  await Promise.all([queries[8][1](f), queries[9][1](f), queries[10][1](f), queries[11][1](f)]);
  await queries[12][1](f);
};
/**
 * Median wall-clock ms of `n` runs, and the median CPU ms this process spent in them (SQLite runs in
 * process, so on a loaded machine the CPU time is what the queries cost without waiting for a core).
 */
async function timed(run: () => Promise<unknown>, n: number, warm = true): Promise<{ wall: number; cpu: number }> {
  if (warm) await run(); // the page cache, as on a server that has served the page before
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await run();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}
const ms = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(t.wall < 10 ? 1 : 0)} (cpu ${t.cpu.toFixed(t.cpu < 10 ? 1 : 0)})`;
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
    sql`select (time / 86400) * 86400 as d, case when request_class = 'asymmetric' then key_arn else '' end, request_class, count(*) from usage_events where account = ${f.account} and region = ${f.region} and time >= ${billingFrom(f)} and time < ${f.to} and error_code = '' group by 1, 2, 3`.execute(db),
    sql`select (time / 86400) * 86400 as d, key_arn, request_class, count(*) from usage_events where account = ${f.account} and region = ${f.region} and time >= ${monthStart} and time < ${f.to} and error_code = '' group by 1, 2, 3`.execute(db),
    sql`select distinct key_arn from usage_events where ${w} and user_agent_family <> 'keydeck'`.execute(db),
  ]);
}
console.log(`\nchart queries (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
const keyArn = (i: number) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${String(i).padStart(8, '0')}-1111-2222-3333-444455556666`;
const verdicts: string[] = [];
for (const days of [30, 90]) {
  const f: UsageFilter = { account: ACCOUNT, region: REGION, from: end - days * DAY_S, to: end };
  const each: string[] = [];
  for (const [name, run] of queries) each.push(`${name} ${ms(await timed(() => run(f), 5))}`);
  const a = await timed(() => page(f), 5);
  const b = await timed(() => bruteForce(f), 1, false);
  const met = (x: number) => (x < TARGET_MS ? 'met' : 'NOT met');
  verdicts.push(
    `${days} days over ${fmt(EVENTS)} events: the page's queries ${a.wall.toFixed(0)} ms wall-clock — target < ${TARGET_MS} ms ${met(a.wall)}; ` +
      `${a.cpu.toFixed(0)} ms of CPU — ${met(a.cpu)} on an idle core`,
  );
  console.log(`${days} days: the page's queries from the roll-ups ${ms(a)} ms in all (median of 5)`);
  console.log(`  each query, ms (median of 5): ${each.join(', ')}`);
  console.log(`  the same from the raw events (brute force, one run) ${fmt(b.wall)} ms (cpu ${fmt(b.cpu)}) → the roll-ups are ${fmt(b.wall / a.wall)}× faster (${fmt(b.cpu / a.cpu)}× in CPU)`);
  // A click on a chart filters the page; the charts of another dimension then read the raw events through
  // a covering index on the filtered column.
  for (const [label, filter] of [
    ['the busiest key (~17% of the calls)', { keyArn: keyArn(0) }],
    ['a quiet key', { keyArn: keyArn(150) }],
    ['the busiest caller (~16%)', { principal: `arn:aws:iam::${ACCOUNT}:role/service-0` }],
    ['an error (AccessDenied, 5%)', { errorCode: 'AccessDenied' }],
    ['any error (10%)', { errorCode: '*' }],
    ['an operation (Encrypt, 10%)', { eventName: 'Encrypt' }],
    ['the busiest key AND AccessDenied', { keyArn: keyArn(0), errorCode: 'AccessDenied' }],
    ['a caller AND an operation', { principal: `arn:aws:iam::${ACCOUNT}:role/service-3`, eventName: 'Encrypt' }],
  ] as const) {
    console.log(`  page filtered by ${label}: ${ms(await timed(() => page({ ...f, ...filter }), 3))} ms (median of 3)`);
  }
}
console.log(`\n${verdicts.join('\n')}\n(load average now ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
