import { describe, expect, it } from 'vitest';
import { forecastMonth, monthCost, priceClassOf, requestCost, storageCost, type DailyUsage, type KeyLifecycle } from './cost';
import { PRICE_TABLES, tableFor } from './price-table';
import { testBackends } from '@/lib/store/test-support';
import { dailyBilled } from '@/lib/usage/aggregate';
import type { RequestClass, UsageEvent } from '@/lib/usage/event';
import { insertEvents } from '@/lib/usage/event-store';

const at = (iso: string) => Date.parse(iso);
const table = PRICE_TABLES[0];
const key = (over: Partial<KeyLifecycle> = {}): KeyLifecycle => ({ arn: 'arn:aws:kms:us-east-1:111122223333:key/k1', manager: 'CUSTOMER', createdAt: at('2026-01-01T00:00:00Z'), rotations: [], ...over });
const use = (day: string, calls: number, over: Partial<DailyUsage> = {}): DailyUsage => ({ day, region: 'us-east-1', keyArn: 'arn:k', eventName: 'Decrypt', principal: 'arn:aws:iam::111122223333:role/app', requestClass: 'symmetric', calls, ...over });

describe('key storage', () => {
  it('is prorated by the hour within each month: Feb has 672 hours, March 744', () => {
    // Created Feb 10 12:00: 18.5 days = 444 h of 672 → $0.660714…
    expect(storageCost(key({ createdAt: at('2026-02-10T12:00:00Z') }), at('2026-02-01T00:00:00Z'), at('2026-03-01T00:00:00Z')).storage).toBeCloseTo(444 / 672, 9);
    // Feb 20 → Mar 10 straddles the month end: 216 h / 672 + 216 h / 744.
    expect(storageCost(key(), at('2026-02-20T00:00:00Z'), at('2026-03-10T00:00:00Z')).storage).toBeCloseTo(216 / 672 + 216 / 744, 9);
  });

  it('stops when a deletion is scheduled, and AWS managed keys cost nothing', () => {
    // Pending deletion from March 16: 15 days = 360 h of 744.
    expect(storageCost(key({ pendingDeletionSince: at('2026-03-16T00:00:00Z') }), at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z')).storage).toBeCloseTo(360 / 744, 9);
    expect(storageCost(key({ manager: 'AWS' }), at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z'))).toEqual({ storage: 0, rotation: 0 });
  });

  it('adds $1/month from each of the first two rotations and nothing for the third', () => {
    // April: 720 h. Rotations Apr 11, Apr 21, Apr 26: 240 h at +$1, then 240 h at +$2; the third adds nothing.
    const k = key({ rotations: [at('2026-04-26T00:00:00Z'), at('2026-04-11T00:00:00Z'), at('2026-04-21T00:00:00Z')] });
    const april = storageCost(k, at('2026-04-01T00:00:00Z'), at('2026-05-01T00:00:00Z'));
    expect(april.storage).toBeCloseTo(1, 9);
    expect(april.rotation).toBeCloseTo(240 / 720 + (2 * 240) / 720, 9);
    // A whole later month: $1 storage + $2 rotations = the $3 cap.
    const may = storageCost(k, at('2026-05-01T00:00:00Z'), at('2026-06-01T00:00:00Z'));
    expect(may.storage + may.rotation).toBeCloseTo(3, 9);
  });
});

describe('requests', () => {
  it('prices 10,000 requests of each class', () => {
    const cost = (requestClass: string, spec?: string) => requestCost(10_000, priceClassOf(requestClass, spec), table);
    expect(cost('symmetric', 'SYMMETRIC_DEFAULT')).toBeCloseTo(0.03, 9);
    expect(cost('symmetric', 'HMAC_256')).toBeCloseTo(0.03, 9); // GenerateMac / VerifyMac: HMAC keys are symmetric
    expect(cost('asymmetric', 'RSA_2048')).toBeCloseTo(0.03, 9);
    expect(cost('asymmetric', 'RSA_4096')).toBeCloseTo(0.15, 9);
    expect(cost('asymmetric', 'ECC_NIST_P256')).toBeCloseTo(0.15, 9);
    expect(cost('asymmetric', 'ML_DSA_65')).toBeCloseTo(0.15, 9);
    expect(cost('gdkp-ecc', 'SYMMETRIC_DEFAULT')).toBeCloseTo(0.1, 9);
    expect(cost('gdkp-rsa', 'SYMMETRIC_DEFAULT')).toBeCloseTo(12, 9);
  });

  it('spends the 20,000 free requests across Regions in order of days, and never on asymmetric requests', () => {
    const usage = [
      use('2026-11-01', 15_000),
      use('2026-11-02', 10_000, { region: 'eu-west-1', eventName: 'Encrypt' }),
      use('2026-11-02', 40_000, { requestClass: 'asymmetric', keyArn: 'arn:rsa', eventName: 'Sign' }),
    ];
    const m = monthCost({ month: '2026-11', until: at('2026-11-03T00:00:00Z'), usage, keys: [], keySpecs: new Map([['arn:rsa', 'RSA_2048']]) });
    // Gross: 25,000 symmetric × $0.000003 = $0.075; 40,000 RSA 2048 × $0.000003 = $0.12.
    expect(m.requestsGross).toBeCloseTo(0.195, 9);
    expect(m.freeRequestsUsed).toBe(20_000);
    expect(m.days.map((d) => d.freeCredit)).toEqual([expect.closeTo(0.045, 9), expect.closeTo(0.015, 9)]);
    expect(m.total).toBeCloseTo(0.135, 9);
    expect(m.byRegion.map((r) => [r.name, r.requests])).toEqual([['us-east-1', 55_000], ['eu-west-1', 10_000]]);
    expect(m.byApi[0]).toMatchObject({ name: 'Sign', requests: 40_000 });
  });
});

describe('the month', () => {
  const trailing = ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'].map((d) => use(d, 10_000));
  const usage = [...trailing, use('2026-11-23', 80_000)];

  it('forecasts from the trailing 7 days with a range from the quietest to the busiest day', () => {
    const f = forecastMonth({ now: at('2026-11-24T00:00:00Z'), usage, keys: [], keySpecs: new Map() });
    // Month to date: 140,000 symmetric, 20,000 free → 120,000 × $0.000003 = $0.36. Seven days are left.
    expect(f.monthToDate).toBeCloseTo(0.36, 9);
    expect(f.low).toBeCloseTo(0.36 + 7 * 10_000 * 0.000003, 9);
    expect(f.expected).toBeCloseTo(0.36 + 7 * 20_000 * 0.000003, 9);
    expect(f.high).toBeCloseTo(0.36 + 7 * 80_000 * 0.000003, 9);
    expect(f.basisDays).toBe(7);
  });

  it('adds the storage of the keys to the end of the month', () => {
    const f = forecastMonth({ now: at('2026-11-24T00:00:00Z'), usage, keys: [key({ createdAt: at('2026-11-01T00:00:00Z') })], keySpecs: new Map() });
    expect(f.monthToDate).toBeCloseTo(0.36 + 23 / 30, 9);
    expect(f.expected).toBeCloseTo(0.78 + 1, 9);
  });

  it('uses the price table in force on each day', () => {
    const tables = [table, { ...table, effectiveFrom: '2026-11-16', requestsPer10k: { ...table.requestsPer10k, symmetric: 0.06 }, freeRequestsPerMonth: 0 }];
    expect(tableFor('2026-11-15', tables).requestsPer10k.symmetric).toBe(0.03);
    const m = monthCost({ month: '2026-11', until: at('2026-11-18T00:00:00Z'), usage: [use('2026-11-15', 10_000), use('2026-11-17', 10_000)], keys: [], keySpecs: new Map(), tables });
    expect(m.requestsGross).toBeCloseTo(0.03 + 0.06, 9);
  });
});

describe('cost per API and per caller, from the store', () => {
  // Worked by hand from the price table of November 2026, per 10,000 requests: symmetric $0.03, other
  // asymmetric (ECC signing) $0.15, ECC GenerateDataKeyPair $0.10. Refused calls are not billed.
  //   app:   6 Encrypt + 2 Decrypt (symmetric)                   8 × 0.03 / 10⁴ = $0.000024
  //          1 Decrypt refused                                   $0
  //   admin: 4 Sign (ECC key)                                    4 × 0.15 / 10⁴ = $0.000060
  //          3 GenerateDataKeyPair ECC                           3 × 0.10 / 10⁴ = $0.000030
  //          2 Encrypt in eu-west-1 (symmetric)                  2 × 0.03 / 10⁴ = $0.000006  → admin $0.000096
  // By API: Sign $0.000060 (4), GenerateDataKeyPair $0.000030 (3), Encrypt $0.000024 (8), Decrypt $0.000006 (2).
  const APP = 'arn:aws:iam::111122223333:role/app';
  const ADMIN = 'arn:aws:iam::111122223333:user/admin';
  const SYM = 'arn:aws:kms:us-east-1:111122223333:key/sym';
  const ECC = 'arn:aws:kms:us-east-1:111122223333:key/ecc';
  let n = 0;
  const event = (eventName: string, principal: string, requestClass: RequestClass, over: Partial<UsageEvent> = {}): UsageEvent => ({
    eventId: `e${++n}`,
    time: Math.floor(at('2026-11-10T08:00:00Z') / 1000) + n * 3600,
    account: '111122223333',
    region: 'us-east-1',
    keyArn: requestClass === 'symmetric' ? SYM : ECC,
    eventName,
    principal,
    errorCode: '',
    userAgentFamily: 'aws-cli',
    quotaClass: 'symmetric',
    requestClass,
    json: '{}',
    ...over,
  });
  const times = (k: number, make: () => UsageEvent) => Array.from({ length: k }, make);

  it.each(testBackends)('are real on $name: per operation and per caller, priced by class and key spec', async (backend) => {
    const store = await backend.open();
    try {
      const east = [
        ...times(6, () => event('Encrypt', APP, 'symmetric')),
        ...times(2, () => event('Decrypt', APP, 'symmetric')),
        event('Decrypt', APP, 'symmetric', { errorCode: 'InvalidCiphertextException' }),
        ...times(4, () => event('Sign', ADMIN, 'asymmetric')),
        ...times(3, () => event('GenerateDataKeyPair', ADMIN, 'gdkp-ecc')),
      ];
      const west = times(2, () => event('Encrypt', ADMIN, 'symmetric', { region: 'eu-west-1', keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/sym' }));
      await insertEvents(store.db, east);
      await insertEvents(store.db, west);
      const keySpecs = new Map([[ECC, 'ECC_NIST_P256']]);
      const [from, to] = [at('2026-11-01T00:00:00Z') / 1000, at('2026-11-20T00:00:00Z') / 1000];
      const regions = ['us-east-1', 'eu-west-1'];
      const month = { month: '2026-11', until: at('2026-11-20T00:00:00Z'), keys: [], keySpecs };
      const byApi = monthCost({ ...month, usage: await dailyBilled(store.db, '111122223333', regions, from, to, { by: 'api' }) }).byApi;
      const byCaller = monthCost({ ...month, usage: await dailyBilled(store.db, '111122223333', regions, from, to, { by: 'caller' }) }).byCaller;
      const rounded = (lines: { name: string; requests: number; cost: number }[]) => lines.map((l) => [l.name, l.requests, Math.round(l.cost * 1e9) / 1e9]);
      expect(rounded(byApi)).toEqual([
        ['Sign', 4, 0.00006],
        ['GenerateDataKeyPair', 3, 0.00003],
        ['Encrypt', 8, 0.000024],
        ['Decrypt', 2, 0.000006],
      ]);
      expect(rounded(byCaller)).toEqual([
        [ADMIN, 9, 0.000096],
        [APP, 8, 0.000024],
      ]);
      // One key's calls come per key, not per API or caller.
      await expect(dailyBilled(store.db, '111122223333', regions, from, to, { by: 'api', keyArn: SYM })).rejects.toThrow(RangeError);
    } finally {
      await store.close();
    }
  });
});
