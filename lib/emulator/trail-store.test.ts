import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kmsEvents, lookupEvents, type TrailEvent } from './cloudtrail';
import { DEFAULT_IDENTITIES } from './identities';
import { RETENTION_MS, TrailStore, type Trail } from './trail-store';
import { TrailWriter } from './trail-writer';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const ARN = (region: string, n: number) => `arn:aws:kms:${region}:111122223333:key/0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;

/** A deterministic mix of events: several callers, operations, regions, errors, keys (none, one, two), many sharing a millisecond. */
function sampleEvents(count: number, seed = 7): TrailEvent[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const ops = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'CreateKey', 'ReEncrypt', 'DescribeKey', 'PutKeyPolicy'];
  const events: TrailEvent[] = [];
  let time = NOW - 10 * DAY;
  for (let i = 0; i < count; i++) {
    time += rand() < 0.3 ? 0 : Math.floor(rand() * 30 * 60_000); // ties on purpose
    const region = rand() < 0.8 ? 'us-east-1' : 'eu-west-1';
    const keyCount = rand() < 0.1 ? 0 : rand() < 0.1 ? 2 : 1;
    const keys = Array.from({ length: keyCount }, (_, k) => ARN(region, 1 + ((i + k) % 5)));
    const operation = ops[Math.floor(rand() * ops.length)];
    const denied = rand() < 0.1;
    events.push(
      ...kmsEvents({
        caller: DEFAULT_IDENTITIES[Math.floor(rand() * 4)],
        region,
        time,
        operation,
        requestId: `req-${i}`,
        userAgent: rand() < 0.5 ? 'aws-cli/2.15 Python/3.11' : 'checkout-service/1.4 aws-sdk-java/2.25',
        sourceIp: rand() < 0.5 ? '10.0.1.17' : undefined,
        request: { KeyId: keys[0] ?? 'alias/none', EncryptionContext: { order: String(i % 3), 'tab\tkey': 'q"uote' }, Description: operation === 'CreateKey' ? `key ${i}` : undefined },
        blobMembers: new Set(),
        output: operation === 'CreateKey' && !denied ? { KeyMetadata: { KeyId: `k-${i}`, Arn: keys[0] } } : undefined,
        errorCode: denied ? 'AccessDeniedException' : undefined,
        errorMessage: denied ? `User: x is not authorized to perform: kms:${operation}` : undefined,
        keys,
      }),
    );
  }
  return events;
}

/** What LookupEvents must answer: the old in-memory semantics, newest first by (time, insertion order). */
function reference(events: TrailEvent[], account: string, region: string, key?: string, value?: string): string[] {
  const match = (e: TrailEvent) => {
    switch (key) {
      case undefined:
        return true;
      case 'EventId':
        return e.eventId === value;
      case 'EventName':
        return e.eventName === value;
      case 'ReadOnly':
        return String(e.readOnly) === value;
      case 'Username':
        return e.username === value;
      case 'AccessKeyId':
        return e.accessKeyId === value;
      case 'EventSource':
        return e.eventSource === value;
      case 'ResourceType':
        return e.resources.some((r) => r.ResourceType === value);
      case 'ResourceName':
        return e.resources.some((r) => r.ResourceName === value || r.ResourceName.endsWith(`/${value}`));
    }
    return false;
  };
  return events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.account === account && e.region === region && match(e))
    .sort((a, b) => b.e.time - a.e.time || b.i - a.i)
    .map(({ e }) => e.eventId);
}

async function allPages(store: Trail, region: string, input: Record<string, unknown>, pageSize: number) {
  const ids: string[] = [];
  const records: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await lookupEvents(store, '111122223333', region, NOW, { ...input, MaxResults: pageSize, NextToken });
    ids.push(...page.Events.map((e) => e.EventId));
    records.push(...page.Events.map((e) => e.CloudTrailEvent));
    NextToken = page.NextToken;
  } while (NextToken);
  return { ids, records };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-trail-store-'));
  dirs.push(dir);
  return dir;
};

// The trail-worker.ts entry built as the emulator's launcher builds it, under node_modules so that it finds its packages.
let trailWorkerScript = '';
beforeAll(async () => {
  const dir = path.join(process.cwd(), 'node_modules', '.cache', 'keydeck');
  fs.mkdirSync(dir, { recursive: true });
  trailWorkerScript = path.join(dir, `test-trail-worker-${process.pid}.mjs`);
  await build({ entryPoints: [path.join(import.meta.dirname, 'trail-worker.ts')], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', outfile: trailWorkerScript, logLevel: 'warning' });
});
afterAll(() => fs.rmSync(trailWorkerScript, { force: true }));

/** The same store on the calling thread, and on a writer thread of its own as the standalone server runs it. */
const BACKENDS: [string, (dir: string | undefined, now: () => number) => Trail][] = [
  ['on the calling thread', (dir, now) => new TrailStore(dir, now)],
  ['on its writer thread', (dir, now) => new TrailWriter(trailWorkerScript, dir, now)],
];

describe.each(BACKENDS)('the CloudTrail store %s', (_, open) => {
  it('answers every lookup path exactly as a scan of the events would, across pages, ties and a restart', async () => {
    const dir = tempDir();
    const events = sampleEvents(600);
    const first = open(dir, () => NOW);
    first.record(events.slice(0, 400));
    await first.close();
    const store = open(dir, () => NOW);
    store.record(events.slice(400));
    const byId = new Map(events.map((e) => [e.eventId, e.json]));
    const someKeyId = ARN('us-east-1', 3).split('/').pop()!;
    const lookups: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ['EventName', 'Encrypt'],
      ['EventName', 'Nothing'],
      ['ReadOnly', 'true'],
      ['ReadOnly', 'false'],
      ['ReadOnly', 'TRUE'],
      ['Username', 'auditor'],
      ['Username', 'keydeck'],
      ['AccessKeyId', 'test'],
      ['EventSource', 'kms.amazonaws.com'],
      ['ResourceType', 'AWS::KMS::Key'],
      ['ResourceName', ARN('us-east-1', 2)],
      ['ResourceName', someKeyId],
      ['ResourceName', 'unknown'],
      ['EventId', events[123].eventId],
    ];
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const [key, value] of lookups) {
        const input = key ? { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] } : {};
        const expected = reference(events, '111122223333', region, key, value);
        const { ids, records } = await allPages(store, region, input, 7);
        expect(ids, `${region} ${key}=${value}`).toEqual(expected);
        // Every record comes back byte for byte.
        expect(records).toEqual(ids.map((id) => byId.get(id)));
      }
    }
    // A time range, paged.
    const start = NOW - 8 * DAY;
    const end = NOW - 6 * DAY;
    const inRange = reference(events, '111122223333', 'us-east-1').filter((id) => {
      const t = events.find((e) => e.eventId === id)!.time;
      return t >= start && t <= end;
    });
    expect((await allPages(store, 'us-east-1', { StartTime: start / 1000, EndTime: end / 1000 }, 5)).ids).toEqual(inRange);
    const stored = (await allPages(store, 'us-east-1', {}, 50)).ids.length + (await allPages(store, 'eu-west-1', {}, 50)).ids.length;
    expect(stored).toBe(events.length);
    await store.close();
  });

  it('writes in bulk, answering as before', async () => {
    const dir = tempDir();
    const events = sampleEvents(400);
    const store = open(dir, () => NOW);
    store.record(events.slice(0, 100));
    expect(store.bulk(() => {
      store.record(events.slice(100));
      return 'done';
    })).toBe('done');
    for (const [key, value] of [[undefined, undefined], ['EventName', 'Decrypt'], ['Username', 'auditor'], ['ReadOnly', 'false'], ['ResourceName', ARN('us-east-1', 4)]] as const) {
      const input = key ? { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] } : {};
      expect((await allPages(store, 'us-east-1', input, 9)).ids, `${key}=${value}`).toEqual(reference(events, '111122223333', 'us-east-1', key, value));
    }
    await store.close();
  });

  it('sees every event recorded before a lookup, in the same turn of the event loop', async () => {
    const store = open(undefined, () => NOW);
    const events = sampleEvents(300).filter((e) => e.region === 'us-east-1');
    for (const [i, event] of events.entries()) {
      store.record([event]);
      if (i % 37 === 0) expect((await allPages(store, 'us-east-1', {}, 50)).ids).toEqual(reference(events.slice(0, i + 1), '111122223333', 'us-east-1'));
    }
    await store.close();
  });
});

describe('the CloudTrail store', () => {
  it('writes in bulk with its indexes rebuilt after, answering as before', async () => {
    const dir = tempDir();
    const events = sampleEvents(400);
    const store = new TrailStore(dir, () => NOW);
    store.record(events.slice(0, 100));
    const indexes = () => (store as unknown as { db: { prepare(s: string): { pluck(): { all(): string[] } } } }).db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").pluck().all();
    const before = indexes();
    expect(store.bulk(() => {
      store.record(events.slice(100));
      return 'done';
    })).toBe('done');
    expect(indexes()).toEqual(before);
    for (const [key, value] of [[undefined, undefined], ['EventName', 'Decrypt'], ['Username', 'auditor'], ['ReadOnly', 'false'], ['ResourceName', ARN('us-east-1', 4)]] as const) {
      const input = key ? { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] } : {};
      expect((await allPages(store, 'us-east-1', input, 9)).ids, `${key}=${value}`).toEqual(reference(events, '111122223333', 'us-east-1', key, value));
    }
    store.close();
  });

  it('keeps events until they are 90 days old, then drops them from the file', () => {
    const dir = tempDir();
    let now = NOW;
    const events = sampleEvents(50);
    const store = new TrailStore(dir, () => now);
    store.record(events);
    store.close();
    now = events[0].time + RETENTION_MS + DAY; // every event is past the window
    const reopened = new TrailStore(dir, () => now);
    expect(reopened.count()).toBe(0);
    reopened.close();
  });

  it('stores a record of any shape verbatim, control characters and all', async () => {
    const store = new TrailStore(undefined, () => NOW);
    const [event] = sampleEvents(1);
    const odd = { ...event, eventId: 'not-a-uuid', json: '{"weird":"\u0001\u0003 raw","eventID":"not-a-uuid"}' };
    const plain = { ...event, eventId: 'other-id', json: '{"eventID":"other-id","note":"no anchors"}' };
    store.record([odd, plain]);
    const page = await lookupEvents(store, event.account, event.region, NOW, {});
    expect(page.Events.map((e) => [e.EventId, e.CloudTrailEvent])).toEqual([
      ['other-id', plain.json],
      ['not-a-uuid', odd.json],
    ]);
    store.close();
  });

  it('keeps memory bounded: a flush writes the queue, and parts repeat as references', () => {
    const dir = tempDir();
    const store = new TrailStore(dir, () => NOW);
    const events = sampleEvents(2000);
    store.record(events);
    store.flush();
    const raw = events.reduce((n, e) => n + e.json.length, 0);
    // The records' repeated parts are stored once: the file is smaller than the records' text alone.
    expect(store.bytesOnDisk()).toBeLessThan(raw);
    store.close();
  });
});
