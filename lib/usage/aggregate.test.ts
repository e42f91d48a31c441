import { describe, expect, it } from 'vitest';
import { testBackends } from '@/lib/store/test-support';
import { callsOverTime, dailyBilled, errorsOverTime, listEvents, peaksOverTime, topCallers, topKeys, totals, type UsageFilter } from './aggregate';
import type { QuotaClass, RequestClass, UsageEvent } from './event';
import { DAY_S, HOUR_S, insertEvents } from './event-store';

const START = Date.UTC(2026, 9, 1) / 1000;
const pick = <T,>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

function randomEvents(n: number, seed: number): UsageEvent[] {
  let a = seed;
  const r = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const keys = ['arn:aws:kms:us-east-1:111122223333:key/a', 'arn:aws:kms:us-east-1:111122223333:key/b', 'arn:aws:kms:us-east-1:111122223333:key/c', ''];
  const ops = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'Sign', 'DescribeKey'];
  const callers = ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::111122223333:user/admin', 's3.amazonaws.com'];
  const errors = ['', '', '', '', 'AccessDenied', 'ThrottlingException', 'DisabledException'];
  const out: UsageEvent[] = [];
  for (let i = 0; i < n; i++) {
    // Bursts: a fifth of the events share a few seconds, so per-second peaks are above 1.
    const time = r() < 0.2 ? START + 5 * DAY_S + Math.floor(r() * 4) : START + Math.floor(r() * 40 * DAY_S);
    const eventName = pick(r, ops);
    out.push({
      eventId: `ev-${seed}-${i}`,
      time,
      account: '111122223333',
      region: r() < 0.9 ? 'us-east-1' : 'eu-west-1',
      keyArn: pick(r, keys),
      eventName,
      principal: pick(r, callers),
      errorCode: pick(r, errors),
      userAgentFamily: pick(r, ['aws-cli', 'boto3', 'aws-sdk-js']),
      quotaClass: (eventName === 'Sign' ? 'ecc' : eventName === 'DescribeKey' ? 'other' : 'symmetric') as QuotaClass,
      requestClass: (eventName === 'Sign' ? 'asymmetric' : 'symmetric') as RequestClass,
      json: '{}',
    });
  }
  return out;
}

const group = <T,>(events: T[], key: (e: T) => string) => {
  const m = new Map<string, number>();
  for (const e of events) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
  return m;
};

describe.each(testBackends)('usage aggregation on $name', (backend) => {
  it('matches a brute-force aggregation over random events, inserted in random batches with repeats', async () => {
    const events = randomEvents(3_000, 42);
    const store = await backend.open();
    try {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const mine = events.filter((e) => e.region === region);
        for (let i = 0; i < mine.length; ) {
          const size = 1 + Math.floor(Math.random() * 120);
          // Every batch repeats some of the previous batch, as an overlapping sync would.
          await insertEvents(store.db, mine.slice(Math.max(0, i - 10), i + size));
          i += size;
        }
      }
      const base: UsageFilter = { account: '111122223333', region: 'us-east-1', from: START + 2 * DAY_S + 1800, to: START + 30 * DAY_S };
      const filters: UsageFilter[] = [
        base,
        { ...base, keyArn: 'arn:aws:kms:us-east-1:111122223333:key/a' },
        { ...base, errorCode: '*' },
        { ...base, errorCode: 'AccessDenied', principal: 's3.amazonaws.com' },
        { ...base, from: START + 5 * DAY_S, to: START + 6 * DAY_S, eventName: 'Decrypt' },
      ];
      for (const f of filters) {
        // Roll-ups are hourly: a filter counts the whole hours that overlap [from, to).
        const hourFrom = Math.floor(f.from / HOUR_S) * HOUR_S;
        const inF = events.filter(
          (e) =>
            e.region === f.region &&
            e.time >= hourFrom &&
            e.time < f.to &&
            (f.keyArn === undefined || e.keyArn === f.keyArn) &&
            (f.eventName === undefined || e.eventName === f.eventName) &&
            (f.principal === undefined || e.principal === f.principal) &&
            (f.errorCode === undefined || (f.errorCode === '*' ? e.errorCode !== '' : e.errorCode === f.errorCode)),
        );
        const bucket = f.to - f.from <= 8 * DAY_S ? HOUR_S : DAY_S;
        const series = await callsOverTime(store.db, f);
        expect(new Map(series.map((p) => [`${p.t}|${p.series}`, p.calls]))).toEqual(group(inF, (e) => `${Math.floor(e.time / bucket) * bucket}|${e.eventName}`));
        const errors = await errorsOverTime(store.db, f);
        expect(new Map(errors.map((p) => [`${p.t}|${p.series}`, p.calls]))).toEqual(
          group(inF.filter((e) => e.errorCode), (e) => `${Math.floor(e.time / bucket) * bucket}|${e.errorCode}`),
        );
        const keys = await topKeys(store.db, f, 100);
        expect(new Map(keys.map((k) => [k.name, k.calls]))).toEqual(group(inF, (e) => e.keyArn));
        expect(new Map(keys.filter((k) => k.errors !== 0).map((k) => [k.name, k.errors] as const))).toEqual(group(inF.filter((e) => e.errorCode), (e) => e.keyArn));
        expect(keys.map((k) => k.calls)).toEqual([...keys.map((k) => k.calls)].sort((a, b) => b - a));
        const callers = await topCallers(store.db, f, 100);
        expect(new Map(callers.map((k) => [k.name, k.calls]))).toEqual(group(inF, (e) => e.principal));
        expect(await totals(store.db, f)).toEqual({ calls: inF.length, errors: inF.filter((e) => e.errorCode).length });
      }
      // Peaks: the busiest second per hour and quota class over every call of the account-region.
      const peaks = await peaksOverTime(store.db, { ...base, from: START, to: START + 40 * DAY_S }, HOUR_S);
      const perSecond = group(events.filter((e) => e.region === 'us-east-1' && e.quotaClass !== 'other'), (e) => `${e.time}|${e.quotaClass}`);
      const expected = new Map<string, number>();
      for (const [k, n] of perSecond) {
        const [s, cls] = k.split('|');
        const hk = `${Math.floor(Number(s) / HOUR_S) * HOUR_S}|${cls}`;
        expected.set(hk, Math.max(expected.get(hk) ?? 0, n));
      }
      expect(new Map(peaks.map((p) => [`${p.t}|${p.quotaClass}`, p.peak]))).toEqual(expected);
      expect(Math.max(...peaks.map((p) => p.peak))).toBeGreaterThan(5);
      // Billing rows: successful calls per day across both Regions.
      const billed = await dailyBilled(store.db, '111122223333', ['us-east-1', 'eu-west-1'], START, START + 40 * DAY_S);
      expect(billed.reduce((s, b) => s + b.calls, 0)).toBe(events.filter((e) => !e.errorCode).length);
      // The drill-down pages through the raw events, newest first, without repeats, under each kind of filter.
      for (const filter of [
        { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/b' },
        { errorCode: 'AccessDenied' },
        { errorCode: '*', principal: 's3.amazonaws.com' },
        { eventName: 'Sign' },
      ] satisfies Partial<UsageFilter>[]) {
        const f: UsageFilter = { ...base, ...filter };
        const seen: string[] = [];
        let before: { time: number; eventId: string } | undefined;
        for (;;) {
          const page = await listEvents(store.db, f, 97, before);
          if (page.length === 0) break;
          expect(page.map((e) => e.time)).toEqual(page.map((e) => e.time).sort((a, b) => b - a));
          seen.push(...page.map((e) => e.eventId));
          before = { time: page.at(-1)!.time, eventId: page.at(-1)!.eventId };
        }
        const wanted = events.filter(
          (e) =>
            e.region === 'us-east-1' &&
            e.time >= f.from &&
            e.time < f.to &&
            (f.keyArn === undefined || e.keyArn === f.keyArn) &&
            (f.eventName === undefined || e.eventName === f.eventName) &&
            (f.principal === undefined || e.principal === f.principal) &&
            (f.errorCode === undefined || (f.errorCode === '*' ? e.errorCode !== '' : e.errorCode === f.errorCode)),
        );
        expect(wanted.length, JSON.stringify(filter)).toBeGreaterThan(20);
        expect(seen.length, JSON.stringify(filter)).toBe(wanted.length);
        expect(new Set(seen)).toEqual(new Set(wanted.map((e) => e.eventId)));
      }
    } finally {
      await store.close();
    }
  });
});
