/**
 * The events table's drill-down past the charts' filter, on both backends, against a brute-force filter
 * of the same events: a time bucket, a user agent family, both with the charts' filters, paged.
 */
import { describe, expect, it } from 'vitest';
import { testBackends } from '@/lib/store/test-support';
import type { EventRow, UsageFilter } from '@/lib/usage/aggregate';
import type { UsageEvent } from '@/lib/usage/event';
import { insertEvents } from '@/lib/usage/event-store';
import { drillEvents, DrillError, parseDrill, type Drill } from './events';

const ACCOUNT = '111122223333';
const START = Date.UTC(2026, 10, 1) / 1000;
const DAY = 86_400;
const HOUR = 3600;

function events(n: number): UsageEvent[] {
  let a = 11;
  const r = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0), a / 2 ** 32);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: n }, (_, i) => ({
    eventId: `ev-${String(i).padStart(5, '0')}`,
    time: START + Math.floor(r() * 10 * DAY),
    account: ACCOUNT,
    region: 'us-east-1',
    keyArn: pick([`arn:aws:kms:us-east-1:${ACCOUNT}:key/a`, `arn:aws:kms:us-east-1:${ACCOUNT}:key/b`]),
    eventName: pick(['Encrypt', 'Decrypt']),
    principal: `arn:aws:iam::${ACCOUNT}:role/app`,
    errorCode: pick(['', '', '', 'AccessDenied']),
    userAgentFamily: pick(['aws-cli', 'boto3', 'keydeck']),
    quotaClass: 'symmetric',
    requestClass: 'symmetric',
    json: '{}',
  }));
}

/** What the table should hold: the events in the filter and the drill, newest first. */
function bruteForce(all: UsageEvent[], f: UsageFilter, d: Drill): string[] {
  return all
    .filter((e) => e.time >= f.from && e.time < f.to)
    .filter((e) => !d.bucket || (e.time >= d.bucket.at && e.time < d.bucket.at + d.bucket.span))
    .filter((e) => d.agent === undefined || e.userAgentFamily === d.agent)
    .filter((e) => f.keyArn === undefined || e.keyArn === f.keyArn)
    .filter((e) => f.errorCode === undefined || (f.errorCode === '*' ? e.errorCode !== '' : e.errorCode === f.errorCode))
    .filter((e) => !f.hideKeydeck || e.userAgentFamily !== 'keydeck')
    .sort((x, y) => y.time - x.time || (x.eventId < y.eventId ? 1 : -1))
    .map((e) => e.eventId);
}

describe('parseDrill', () => {
  it('reads a bucket and a user agent, and nothing when the URL has neither', () => {
    expect(parseDrill(new URLSearchParams(''))).toEqual({});
    expect(parseDrill(new URLSearchParams(`at=${START}&span=86400&agent=aws-cli`))).toEqual({ bucket: { at: START, span: DAY }, agent: 'aws-cli' });
    expect(parseDrill(new URLSearchParams(`at=${START + HOUR}&span=3600`))).toEqual({ bucket: { at: START + HOUR, span: HOUR } });
  });

  it('refuses a bad bucket or agent with a ValidationException naming the parameter', () => {
    for (const [qs, message] of [
      [`at=${START}`, 'span must be 3600 (an hour) or 86400 (a day).'],
      ['span=3600', 'at must be a bucket start in epoch seconds.'],
      [`at=${START}&span=60`, 'span must be 3600 (an hour) or 86400 (a day).'],
      [`at=-5&span=3600`, 'at must be a bucket start in epoch seconds.'],
      [`at=${START + HOUR}&span=86400`, 'at must start a bucket of 86400 seconds.'],
      ['agent=', 'agent must be 1 to 128 characters.'],
      [`agent=${'x'.repeat(129)}`, 'agent must be 1 to 128 characters.'],
    ]) {
      let error: unknown;
      try {
        parseDrill(new URLSearchParams(qs));
      } catch (e) {
        error = e;
      }
      expect(error, qs).toBeInstanceOf(DrillError);
      expect((error as Error).name).toBe('ValidationException');
      expect((error as Error).message, qs).toBe(message);
    }
  });
});

describe.each(testBackends)('drillEvents on $name', (backend) => {
  it('narrows the events to a bucket and a user agent, with the charts’ filters, page after page', async () => {
    const all = events(1500);
    const store = await backend.open();
    try {
      await insertEvents(store.db, all);
      const base: UsageFilter = { account: ACCOUNT, region: 'us-east-1', from: START + 2 * DAY, to: START + 9 * DAY };
      const cases: [UsageFilter, Drill][] = [
        [base, {}],
        [base, { bucket: { at: START + 3 * DAY, span: DAY } }],
        [base, { bucket: { at: START + 5 * DAY + 7 * HOUR, span: HOUR } }],
        [base, { agent: 'boto3' }],
        [{ ...base, keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/a`, errorCode: '*' }, { agent: 'aws-cli', bucket: { at: START + 4 * DAY, span: DAY } }],
        [{ ...base, errorCode: 'AccessDenied' }, { agent: 'keydeck' }],
        [{ ...base, hideKeydeck: true }, { agent: 'keydeck' }],
        // A bucket outside the range: nothing, not the whole range.
        [base, { bucket: { at: START, span: DAY } }],
      ];
      for (const [f, d] of cases) {
        const expected = bruteForce(all, f, d);
        const got: EventRow[] = [];
        let before: { time: number; eventId: string } | undefined;
        for (;;) {
          const page = await drillEvents(store.db, f, d, 40, before);
          got.push(...page);
          const last = page.at(-1);
          if (page.length < 40 || !last) break;
          before = { time: last.time, eventId: last.eventId };
        }
        expect(got.map((e) => e.eventId), JSON.stringify(d)).toEqual(expected);
        if (d.agent !== undefined) expect(new Set(got.map((e) => e.userAgentFamily))).toEqual(new Set(expected.length ? [d.agent] : []));
      }
      // The cases are not vacuous: a bucket and an agent each keep some events and drop others.
      expect(bruteForce(all, base, { bucket: { at: START + 3 * DAY, span: DAY } }).length).toBeGreaterThan(50);
      expect(bruteForce(all, base, { agent: 'boto3' }).length).toBeLessThan(bruteForce(all, base, {}).length);
    } finally {
      await store.close();
    }
  });
});
