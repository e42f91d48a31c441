/**
 * The narrow roll-ups against a brute-force aggregation of random events, on both backends: re-ingested
 * events do not count twice, the charts answer from the roll-ups alone (the raw events deleted), ranges
 * with partial days at both ends, Keydeck's own calls left out, retention pruning, the billing roll-ups
 * (billed calls per day, request class and priced key, and per API and caller), and the back-fill of the migrations that
 * introduced them.
 */
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '@/lib/store/migrations';
import { testBackends } from '@/lib/store/test-support';
import {
  callsOverTime,
  dailyBilled,
  errorsOverTime,
  keysWithCalls,
  pageCharts,
  sourceFor,
  topAgents,
  topCallers,
  topKeys,
  topOperations,
  totals,
  type UsageFilter,
} from './aggregate';
import type { QuotaClass, RequestClass, UsageEvent } from './event';
import { applyRetention, billedTable, DAY_S, HOUR_S, insertEvents, NARROW_DIMS, narrowTable, type Db, type NarrowDim } from './event-store';

const START = Date.UTC(2026, 9, 1) / 1000;
const ACCOUNT = '111122223333';
const pick = <T,>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

function randomEvents(n: number, seed: number): UsageEvent[] {
  let a = seed;
  const r = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const keys = ['a', 'b', 'c', 'd'].map((k) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${k}`).concat('');
  const ops = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'Sign', 'DescribeKey'];
  const callers = [`arn:aws:iam::${ACCOUNT}:role/app`, `arn:aws:iam::${ACCOUNT}:user/admin`, 's3.amazonaws.com'];
  const errors = ['', '', '', '', 'AccessDenied', 'ThrottlingException'];
  return Array.from({ length: n }, (_, i) => {
    const eventName = pick(r, ops);
    return {
      eventId: `ev-${seed}-${i}`,
      time: START + Math.floor(r() * 40 * DAY_S),
      account: ACCOUNT,
      region: r() < 0.85 ? 'us-east-1' : 'eu-west-1',
      keyArn: pick(r, keys),
      eventName,
      principal: pick(r, callers),
      errorCode: pick(r, errors),
      userAgentFamily: pick(r, ['aws-cli', 'boto3', 'keydeck']),
      quotaClass: (eventName === 'Sign' ? 'ecc' : eventName === 'DescribeKey' ? 'other' : 'symmetric') as QuotaClass,
      requestClass: (eventName === 'Sign' ? 'asymmetric' : 'symmetric') as RequestClass,
      json: '{}',
    };
  });
}

const count = <T,>(events: T[], key: (e: T) => string, weight: (e: T) => number = () => 1) => {
  const m = new Map<string, number>();
  for (const e of events) if (weight(e)) m.set(key(e), (m.get(key(e)) ?? 0) + weight(e));
  return m;
};

/** The billing roll-ups' key: UTC day, Region, the key where it sets the price (asymmetric calls), request class. */
const billedKey = (e: UsageEvent) => `${new Date(e.time * 1000).toISOString().slice(0, 10)}|${e.region}|${e.requestClass === 'asymmetric' ? e.keyArn : ''}|${e.requestClass}`;

async function ingest(db: Db, events: UsageEvent[]) {
  for (const region of ['us-east-1', 'eu-west-1']) {
    const mine = events.filter((e) => e.region === region);
    for (let i = 0; i < mine.length; ) {
      const size = 1 + Math.floor(Math.random() * 150);
      // Every batch repeats some of the previous one, as an overlapping sync would.
      await insertEvents(db, mine.slice(Math.max(0, i - 10), i + size));
      i += size;
    }
  }
}

/** Every chart of the page, compared with the same figures counted from `events`. */
async function expectCharts(db: Db, events: UsageEvent[], f: UsageFilter) {
  const from = Math.floor(f.from / HOUR_S) * HOUR_S;
  const inF = events.filter(
    (e) =>
      e.account === f.account &&
      e.region === f.region &&
      e.time >= from &&
      e.time < f.to &&
      (f.keyArn === undefined || e.keyArn === f.keyArn) &&
      (f.eventName === undefined || e.eventName === f.eventName) &&
      (f.principal === undefined || e.principal === f.principal) &&
      (f.errorCode === undefined || (f.errorCode === '*' ? e.errorCode !== '' : e.errorCode === f.errorCode)) &&
      (!f.hideKeydeck || e.userAgentFamily !== 'keydeck'),
  );
  const bucket = f.to - f.from <= 8 * DAY_S ? HOUR_S : DAY_S;
  const at = (e: UsageEvent) => Math.floor(e.time / bucket) * bucket;
  const label = JSON.stringify(f);
  const series = await callsOverTime(db, f);
  expect(new Map(series.map((p) => [`${p.t}|${p.series}`, p.calls])), label).toEqual(count(inF, (e) => `${at(e)}|${e.eventName}`));
  const errs = await errorsOverTime(db, f);
  expect(new Map(errs.map((p) => [`${p.t}|${p.series}`, p.calls])), label).toEqual(count(inF.filter((e) => e.errorCode), (e) => `${at(e)}|${e.errorCode}`));
  for (const [name, list, key] of [
    ['keys', await topKeys(db, f, 100), (e: UsageEvent) => e.keyArn],
    ['callers', await topCallers(db, f, 100), (e: UsageEvent) => e.principal],
    ['operations', await topOperations(db, f, 100), (e: UsageEvent) => e.eventName],
    ['agents', await topAgents(db, f, 100), (e: UsageEvent) => e.userAgentFamily],
  ] as const) {
    expect(new Map(list.map((k) => [k.name, k.calls])), `${name} ${label}`).toEqual(count(inF, key));
    expect(new Map(list.filter((k) => k.errors).map((k) => [k.name, k.errors])), `${name} ${label}`).toEqual(count(inF, key, (e) => (e.errorCode ? 1 : 0)));
    expect(list.map((k) => k.calls)).toEqual(list.map((k) => k.calls).sort((a, b) => b - a));
  }
  expect(await totals(db, f), label).toEqual({ calls: inF.length, errors: inF.filter((e) => e.errorCode).length });
  const limited = await topKeys(db, f, 2);
  expect(limited.length).toBe(Math.min(2, count(inF, (e) => e.keyArn).size));
  // The page's charts, each without the filter on its own dimension, as the single-chart functions give them.
  const page = await pageCharts(db, f);
  const byName = (xs: { name: string; calls: number; errors: number }[]) => new Map(xs.map((x) => [x.name, [x.calls, x.errors]]));
  expect(new Set(page.callsOverTime.map((p) => JSON.stringify(p))), label).toEqual(new Set((await callsOverTime(db, { ...f, eventName: undefined })).map((p) => JSON.stringify(p))));
  expect(byName(page.topOperations), label).toEqual(byName(await topOperations(db, { ...f, eventName: undefined }, 20)));
  expect(page.topOperations.map((o) => o.calls)).toEqual(page.topOperations.map((o) => o.calls).sort((a, b) => b - a));
  expect(byName(page.topKeys), label).toEqual(byName(await topKeys(db, { ...f, keyArn: undefined }, 10)));
  expect(byName(page.topCallers), label).toEqual(byName(await topCallers(db, { ...f, principal: undefined }, 10)));
  expect(page.totals, label).toEqual(await totals(db, f));
}

const rowsIn = async (db: Db, grain: 'hourly' | 'daily', dim: NarrowDim) =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(narrowTable(grain, dim))}`.execute(db)).rows[0].n);

describe.each(testBackends)('narrow usage roll-ups on $name', (backend) => {
  it('match a brute-force aggregation, count re-ingested events once, answer without the raw events and prune with the retention', async () => {
    const events = randomEvents(2_500, 7);
    const store = await backend.open();
    try {
      await ingest(store.db, events);
      await ingest(store.db, events.slice(0, 800)); // a whole sync again: nothing new
      const base: UsageFilter = { account: ACCOUNT, region: 'us-east-1', from: START + 2 * DAY_S + 5 * HOUR_S + 1800, to: START + 31 * DAY_S + 7 * HOUR_S };
      const keyA = `arn:aws:kms:us-east-1:${ACCOUNT}:key/a`;
      const filters: UsageFilter[] = [
        base,
        { ...base, hideKeydeck: true },
        { ...base, keyArn: keyA },
        { ...base, errorCode: '*' },
        { ...base, errorCode: 'AccessDenied' },
        { ...base, keyArn: keyA, errorCode: 'AccessDenied', hideKeydeck: true },
        { ...base, principal: 's3.amazonaws.com', eventName: 'Decrypt' },
        { ...base, principal: `arn:aws:iam::${ACCOUNT}:role/app` },
        { ...base, eventName: 'Encrypt', hideKeydeck: true },
        { ...base, errorCode: 'ThrottlingException', principal: 's3.amazonaws.com' },
        { ...base, from: START + 5 * DAY_S + 3 * HOUR_S, to: START + 6 * DAY_S + 3 * HOUR_S },
        { ...base, from: START + 3 * DAY_S, to: START + 10 * DAY_S, errorCode: '*', hideKeydeck: true },
        { ...base, region: 'eu-west-1', from: START, to: START + 40 * DAY_S },
      ];
      for (const f of filters) await expectCharts(store.db, events, f);
      // Unfiltered charts and one-dimension filters are answered by the roll-ups alone.
      expect(sourceFor(base, 'ops')).toBe('rollup');
      expect(sourceFor({ ...base, keyArn: keyA }, 'keys')).toBe('rollup');
      expect(sourceFor({ ...base, keyArn: keyA }, 'ops')).toBe('raw');
      expect(sourceFor({ ...base, errorCode: '*' }, 'callers')).toBe('rollup');
      const billed = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], START, START + 40 * DAY_S + 5 * HOUR_S);
      expect(new Map(billed.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}`, b.calls]))).toEqual(
        count(events.filter((e) => !e.errorCode), (e) => `${new Date(e.time * 1000).toISOString().slice(0, 10)}|${e.region}|${e.keyArn}|${e.requestClass}`),
      );
      const oneKey = await dailyBilled(store.db, ACCOUNT, ['us-east-1'], START, START + 40 * DAY_S, { keyArn: keyA });
      expect(oneKey.reduce((s, b) => s + b.calls, 0)).toBe(events.filter((e) => !e.errorCode && e.keyArn === keyA && e.region === 'us-east-1').length);
      // Priced: the key only where it sets the price (asymmetric calls); the same calls per day and class.
      const priced = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], START, START + 40 * DAY_S + 5 * HOUR_S, { keys: 'priced' });
      expect(priced.filter((b) => b.requestClass !== 'asymmetric').every((b) => b.keyArn === '')).toBe(true);
      expect(priced.length).toBeLessThan(billed.length);
      expect(count(priced, (b) => `${b.day}|${b.requestClass}`, (b) => b.calls)).toEqual(count(billed, (b) => `${b.day}|${b.requestClass}`, (b) => b.calls));
      expect(count(priced.filter((b) => b.requestClass === 'asymmetric'), (b) => `${b.day}|${b.keyArn}`, (b) => b.calls)).toEqual(
        count(billed.filter((b) => b.requestClass === 'asymmetric'), (b) => `${b.day}|${b.keyArn}`, (b) => b.calls),
      );
      // Priced comes from the billing roll-ups: against the events, over whole days and over ranges that
      // start and end inside a day (their hourly rows), and the same as priced from the keys roll-up.
      for (const [from, to] of [
        [START, START + 40 * DAY_S + 5 * HOUR_S],
        [START + 3 * DAY_S + 7 * HOUR_S, START + 17 * DAY_S + 13 * HOUR_S],
        [START + 9 * DAY_S + 2 * HOUR_S, START + 9 * DAY_S + 20 * HOUR_S],
      ]) {
        const got = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], from, to, { keys: 'priced' });
        expect(new Map(got.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}`, b.calls])), `${from}-${to}`).toEqual(
          count(events.filter((e) => !e.errorCode && e.time >= from && e.time < to), billedKey),
        );
      }
      // Per API and per caller: the same priced calls, split by operation or caller (their billing roll-ups).
      for (const [by, field] of [
        ['api', 'eventName'],
        ['caller', 'principal'],
      ] as const) {
        const from = START + 3 * DAY_S + 7 * HOUR_S;
        const to = START + 17 * DAY_S + 13 * HOUR_S;
        const got = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], from, to, { by });
        expect(new Map(got.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}|${b.eventName}|${b.principal}`, b.calls])), by).toEqual(
          count(events.filter((e) => !e.errorCode && e.time >= from && e.time < to), (e) => `${billedKey(e)}|${field === 'eventName' ? e.eventName : ''}|${field === 'principal' ? e.principal : ''}`),
        );
      }
      const pricedOneKey = await dailyBilled(store.db, ACCOUNT, ['us-east-1'], START, START + 40 * DAY_S, { keys: 'priced', keyArn: keyA });
      expect(new Map(pricedOneKey.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}`, b.calls]))).toEqual(
        count(events.filter((e) => !e.errorCode && e.keyArn === keyA && e.region === 'us-east-1' && e.time < START + 40 * DAY_S), billedKey),
      );
      const quiet = { account: ACCOUNT, region: 'us-east-1', from: START + 10 * DAY_S + 2 * HOUR_S, to: START + 10 * DAY_S + 9 * HOUR_S };
      expect(await keysWithCalls(store.db, quiet)).toEqual(
        new Set(events.filter((e) => e.region === 'us-east-1' && e.keyArn && e.time >= quiet.from && e.time < quiet.to).map((e) => e.keyArn)),
      );

      // The charts of the page come from the roll-ups: without the raw events they are the same.
      const before = await pageCharts(store.db, base);
      const pricedBefore = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], base.from, base.to, { keys: 'priced' });
      await store.db.deleteFrom('usage_events').execute();
      expect(await pageCharts(store.db, base)).toEqual(before);
      expect(await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], base.from, base.to, { keys: 'priced' })).toEqual(pricedBefore);
      expect(before.totals.calls).toBeGreaterThan(500);

      // Retention: the roll-ups go hour by hour and day by day; what is left still matches.
      const now = START + 40 * DAY_S;
      const daily = await rowsIn(store.db, 'daily', 'keys');
      await applyRetention(store.db, now, { rawDays: 20, rollupDays: 25 });
      const cutoff = now - 25 * DAY_S;
      const kept = events.filter((e) => e.time >= cutoff);
      for (const grain of ['hourly', 'daily'] as const) {
        const size = grain === 'hourly' ? HOUR_S : DAY_S;
        for (const table of [...(Object.keys(NARROW_DIMS) as NarrowDim[]).map((dim) => narrowTable(grain, dim)), billedTable(grain), billedTable(grain, 'ops'), billedTable(grain, 'callers')]) {
          const { rows } = await sql<{ oldest: number }>`select min(bucket) as oldest from ${sql.table(table)}`.execute(store.db);
          expect(Number(rows[0].oldest) + size, table).toBeGreaterThan(cutoff);
        }
      }
      expect(await rowsIn(store.db, 'daily', 'keys')).toBeLessThan(daily);
      const recent: UsageFilter = { ...base, from: cutoff + HOUR_S, to: now };
      const charts = await pageCharts(store.db, recent);
      expect(charts.totals.calls).toBe(kept.filter((e) => e.region === 'us-east-1' && e.time >= recent.from).length);
      expect(new Map(charts.topCallers.map((c) => [c.name, c.calls]))).toEqual(count(kept.filter((e) => e.region === 'us-east-1' && e.time >= recent.from), (e) => e.principal));
      const keptPriced = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], recent.from, now, { keys: 'priced' });
      expect(new Map(keptPriced.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}`, b.calls]))).toEqual(
        count(kept.filter((e) => !e.errorCode && e.time >= recent.from && e.time < now), billedKey),
      );
    } finally {
      await store.close();
    }
  });

  it('fill the billing roll-ups from the keys roll-ups when their migration runs', async () => {
    const store = await backend.open();
    try {
      const events = randomEvents(900, 13);
      await ingest(store.db, events);
      const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
      // Down drops the billing roll-ups (what a store from before them had), up rebuilds them.
      expect((await migrator.migrateTo('2026-11-23-070-learn')).error).toBeUndefined();
      await expect(sql`select count(*) from usage_daily_billed`.execute(store.db)).rejects.toThrow();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      for (const [from, to] of [
        [START, START + 40 * DAY_S + 5 * HOUR_S],
        [START + 4 * DAY_S + 11 * HOUR_S, START + 21 * DAY_S + 3 * HOUR_S],
      ]) {
        const got = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], from, to, { keys: 'priced' });
        expect(new Map(got.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}`, b.calls]))).toEqual(
          count(events.filter((e) => !e.errorCode && e.time >= from && e.time < to), billedKey),
        );
        // The roll-ups per API and per caller are filled from the raw events.
        const byCaller = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], from, to, { by: 'caller' });
        expect(new Map(byCaller.map((b) => [`${b.day}|${b.region}|${b.keyArn}|${b.requestClass}|${b.principal}`, b.calls]))).toEqual(
          count(events.filter((e) => !e.errorCode && e.time >= from && e.time < to), (e) => `${billedKey(e)}|${e.principal}`),
        );
        const byApi = await dailyBilled(store.db, ACCOUNT, ['us-east-1', 'eu-west-1'], from, to, { by: 'api' });
        expect(count(byApi, (b) => b.eventName, (b) => b.calls)).toEqual(count(events.filter((e) => !e.errorCode && e.time >= from && e.time < to), (e) => e.eventName));
      }
    } finally {
      await store.close();
    }
  });

  it('are back-filled from the old wide roll-up by their migration', async () => {
    const store = await backend.open();
    try {
      const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
      const down = await migrator.migrateTo('2026-11-23-001-usage');
      expect(down.error).toBeUndefined();
      const events = randomEvents(600, 11).filter((e) => e.region === 'us-east-1');
      const wide = count(events, (e) => JSON.stringify([Math.floor(e.time / HOUR_S) * HOUR_S, e.keyArn, e.eventName, e.principal, e.errorCode, e.userAgentFamily, e.requestClass]));
      const rows = [...wide].map(([k, calls]) => {
        const [hour, key_arn, event_name, principal, error_code, user_agent_family, request_class] = JSON.parse(k) as [number, ...string[]];
        return { hour, account: ACCOUNT, region: 'us-east-1', key_arn, event_name, principal, error_code, user_agent_family, request_class, calls };
      });
      for (let i = 0; i < rows.length; i += 200) await sql`insert into usage_rollups (hour, account, region, key_arn, event_name, principal, error_code, user_agent_family, request_class, calls) values ${sql.join(rows.slice(i, i + 200).map((r) => sql`(${sql.join(Object.values(r))})`))}`.execute(store.db);
      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      await expectCharts(store.db, events, { account: ACCOUNT, region: 'us-east-1', from: START + DAY_S + 7 * HOUR_S, to: START + 39 * DAY_S + 2 * HOUR_S, hideKeydeck: true });
      await expectCharts(store.db, events, { account: ACCOUNT, region: 'us-east-1', from: START + 9 * DAY_S, to: START + 12 * DAY_S });
    } finally {
      await store.close();
    }
  });
});
