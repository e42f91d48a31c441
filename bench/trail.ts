/**
 * `npm run bench:trail`: the emulator's CloudTrail store and the demo history. Seeds the demo account with
 * BENCH_EVENTS events of history (default 1,000,000) into a fresh data dir and times it; then, over the
 * store that holds them: append rate of live-shaped events (one transaction per batch, as the emulator
 * flushes), bytes per event on disk, LookupEvents page latency (first and deep pages, unfiltered and by
 * each lookup attribute) through the CloudTrail SDK client, and the memory the process holds. Prints
 * figures, asserts nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LookupEventsCommand, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { kmsEvents, type TrailEvent } from '../lib/emulator/cloudtrail';
import { seedDemo } from '../lib/emulator/demo-account';
import { DEFAULT_IDENTITIES } from '../lib/emulator/identities';
import { createEmulator } from '../lib/emulator/index';
import { TrailStore } from '../lib/emulator/trail-store';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(', ');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bench-trail-'));
console.log(`Keydeck CloudTrail store benchmark — node ${process.version}, ${os.cpus().length} cores; load average at start ${load()}\n`);
try {
  // 1. The demo seed: keys made through the API 90 days ago, then the history written into the store.
  let now = Date.now();
  const end = now;
  const emulator = createEmulator({ dataDir: dir, clock: () => new Date(now) });
  let wall = performance.now();
  let cpuAt = cpu();
  const seeded = await seedDemo({ emulator, setNow: (ms) => (now = ms), now: end, historyEvents: EVENTS });
  await emulator.close();
  const seedSeconds = (performance.now() - wall) / 1000;
  console.log(`demo seed: ${seeded.created} keys and ${fmt(seeded.events)} events of 90 days in ${seedSeconds.toFixed(1)} s wall, ${(cpu() - cpuAt).toFixed(1)} s CPU (${fmt(seeded.events / seedSeconds)} events/s)`);

  // 2. Appends of live-shaped events: batches of 200 (about what a busy emulator queues in its 100 ms).
  const caller = DEFAULT_IDENTITIES[2];
  const live: TrailEvent[] = [];
  for (let i = 0; i < 50_000; i++) {
    live.push(
      ...kmsEvents({
        caller,
        region: 'us-east-1',
        time: end - 60_000 + i,
        operation: i % 2 ? 'Encrypt' : 'Decrypt',
        requestId: crypto.randomUUID(),
        userAgent: 'aws-sdk-js/3.620.0 ua/2.1 os/linux lang/js md/nodejs#20 api/kms#3.620.0 demo-app/bench',
        request: { KeyId: 'alias/payments/card-data', EncryptionContext: { app: 'checkout' } },
        blobMembers: new Set(),
        keys: [`arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      }),
    );
  }
  const store = new TrailStore(dir, () => end);
  wall = performance.now();
  cpuAt = cpu();
  for (let i = 0; i < live.length; i += 200) {
    store.record(live.slice(i, i + 200));
    store.flush();
  }
  const appendSeconds = (performance.now() - wall) / 1000;
  console.log(`append (batches of 200, one transaction each, on top of the history): ${fmt(live.length / appendSeconds)} events/s wall, ${(((cpu() - cpuAt) * 1e6) / live.length).toFixed(1)} µs CPU per event`);
  const total = store.count();
  const bytes = store.bytesOnDisk();
  console.log(`on disk: ${mb(bytes)} for ${fmt(total)} events = ${fmt(bytes / total)} bytes per event (the JSON-lines store: ~1,700, all of it also in memory)`);
  store.close();
  live.length = 0;

  // 3. LookupEvents pages through the SDK, over the store as a restarted emulator opens it.
  const opened = createEmulator({ dataDir: dir, clock: () => new Date(end + 1000) });
  const trail = opened.cloudTrailClient();
  const card = (await opened.kmsClient().send(new DescribeKeyCommand({ KeyId: 'alias/payments/card-data' }))).KeyMetadata!;
  const anyId = (await trail.send(new LookupEventsCommand({ MaxResults: 1, EndTime: new Date(end - 45 * 86_400_000) }))).Events![0].EventId!;
  const time = async (attribute: [LookupAttributeKey, string] | undefined, pages: number) => {
    const times: number[] = [];
    let NextToken: string | undefined;
    let returned = 0;
    for (let p = 0; p < pages; p++) {
      const t = performance.now();
      const page = await trail.send(new LookupEventsCommand({ MaxResults: 50, NextToken, LookupAttributes: attribute ? [{ AttributeKey: attribute[0], AttributeValue: attribute[1] }] : undefined }));
      times.push(performance.now() - t);
      returned += page.Events?.length ?? 0;
      NextToken = page.NextToken;
      if (!NextToken) break;
    }
    times.sort((a, b) => a - b);
    return { first: times[0] === undefined ? 0 : times[0], median: times[Math.floor(times.length / 2)], max: times[times.length - 1], pages: times.length, returned };
  };
  console.log(`\nLookupEvents, 50 a page, us-east-1 of the demo account (${fmt(total)} events in the store):`);
  const cases: [string, [LookupAttributeKey, string] | undefined][] = [
    ['no filter', undefined],
    ['EventName = Encrypt', ['EventName', 'Encrypt']],
    ['EventName = GetKeyPolicy (rare)', ['EventName', 'GetKeyPolicy']],
    ['Username = checkout', ['Username', 'checkout']],
    ['ResourceName = card-data key id', ['ResourceName', card.KeyId!]],
    ['ResourceType = AWS::KMS::Key', ['ResourceType', 'AWS::KMS::Key']],
    ['ReadOnly = false (rare)', ['ReadOnly', 'false']],
    ['AccessKeyId = AKIAAUDITOR00000001', ['AccessKeyId', 'AKIAAUDITOR00000001']],
    ['EventSource = kms.amazonaws.com', ['EventSource', 'kms.amazonaws.com']],
    ['EventId (45 days old)', ['EventId', anyId]],
  ];
  for (const [name, attribute] of cases) {
    await time(attribute, 3); // warm the statement and the pages it reads
    const firsts: number[] = [];
    for (let i = 0; i < 21; i++) firsts.push((await time(attribute, 1)).first);
    firsts.sort((a, b) => a - b);
    const r = await time(attribute, 200);
    console.log(`  ${name.padEnd(38)} first page median ${firsts[10].toFixed(2)} ms; paging: median ${r.median.toFixed(2)} ms, max ${r.max.toFixed(2)} ms over ${r.pages} pages (${fmt(r.returned)} events)`);
  }
  // Paging all the way down: the token keeps each page an index seek, however deep.
  wall = performance.now();
  let pages = 0;
  let NextToken: string | undefined;
  const deepStart = new Date(end - 90 * 86_400_000);
  do {
    const page = await trail.send(new LookupEventsCommand({ MaxResults: 50, NextToken, StartTime: deepStart, EndTime: new Date(end - 89 * 86_400_000) }));
    NextToken = page.NextToken;
    pages++;
  } while (NextToken && pages < 400);
  console.log(`  the oldest day (89–90 days ago), ${pages} pages: ${((performance.now() - wall) / pages).toFixed(2)} ms a page`);
  global.gc?.();
  console.log(`\nprocess memory with the store open: RSS ${mb(process.memoryUsage().rss)}, JS heap ${mb(process.memoryUsage().heapUsed)}`);
  await opened.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`load average at the end: ${load()} (other work on the machine lowers every figure)`);
}
