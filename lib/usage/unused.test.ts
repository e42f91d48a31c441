import { describe, expect, it } from 'vitest';
import { PRICE_TABLES } from '@/lib/pricing/price-table';
import { testBackends } from '@/lib/store/test-support';
import type { UsageEvent } from './event';
import { DAY_S, insertEvents } from './event-store';
import { monthlyCost, unusedKeys, type KeyFacts } from './unused';
import { unusedCsv } from './unused-csv';

const NOW = Date.UTC(2026, 11, 4, 10, 20) / 1000;
const ACCOUNT = '111122223333';
const arn = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
const APP = `arn:aws:iam::${ACCOUNT}:role/app`;
const JOB = `arn:aws:iam::${ACCOUNT}:role/nightly-job`;
const table = PRICE_TABLES[PRICE_TABLES.length - 1];

let n = 0;
function call(key: string, daysAgo: number, o: Partial<UsageEvent> = {}): UsageEvent {
  return {
    eventId: `ev-${n++}`,
    time: NOW - Math.round(daysAgo * DAY_S),
    account: ACCOUNT,
    region: 'us-east-1',
    keyArn: arn(key),
    eventName: 'Decrypt',
    principal: APP,
    errorCode: '',
    userAgentFamily: 'aws-sdk-java',
    quotaClass: 'symmetric',
    requestClass: 'symmetric',
    json: '{}',
    ...o,
  };
}

const key = (id: string, o: Partial<KeyFacts> = {}): KeyFacts => ({ arn: arn(id), id, name: `alias/${id}`, manager: 'CUSTOMER', state: 'Enabled', createdAt: (NOW - 200 * DAY_S) * 1000, rotations: [], ...o });

const KEYS: KeyFacts[] = [
  key('busy'),
  // Only Keydeck reads it (inventory DescribeKey, the key's page): unused.
  key('console-only'),
  key('never'),
  // Called 45 days ago: unused over 30 days, used over 60.
  key('old-use', { rotations: [1, 2, 3] }),
  key('disabled', { state: 'Disabled', rotations: [1] }),
  key('aws', { manager: 'AWS' }),
  // Pending deletion, still called by a job: a warning, never the clean-up list.
  key('doomed', { state: 'PendingDeletion', deletionAt: (NOW + 5 * DAY_S) * 1000, scheduledAt: (NOW - 4 * DAY_S) * 1000 }),
  // Pending deletion and only Keydeck looked at it: neither list.
  key('quiet-doomed', { state: 'PendingDeletion', deletionAt: (NOW + 9 * DAY_S) * 1000 }),
];

const EVENTS: UsageEvent[] = [
  call('busy', 1),
  call('busy', 2, { eventName: 'Encrypt' }),
  call('console-only', 0.5, { eventName: 'DescribeKey', userAgentFamily: 'keydeck', principal: `arn:aws:iam::${ACCOUNT}:user/admin` }),
  call('console-only', 3, { eventName: 'GetKeyRotationStatus', userAgentFamily: 'keydeck' }),
  call('old-use', 45),
  // Before and at the scheduling: use, and the ScheduleKeyDeletion call itself, do not count.
  call('doomed', 10, { principal: JOB }),
  call('doomed', 4, { eventName: 'ScheduleKeyDeletion', principal: `arn:aws:iam::${ACCOUNT}:user/admin` }),
  // In the very second of the scheduling, a call cannot be told before or after it: it does not count.
  { ...call('doomed', 4, { principal: `arn:aws:iam::${ACCOUNT}:user/admin`, eventName: 'CreateAlias' }), eventId: 'same-second' },
  call('doomed', 3, { principal: JOB, errorCode: 'KMSInvalidStateException' }),
  call('doomed', 2, { principal: JOB, errorCode: 'KMSInvalidStateException' }),
  call('doomed', 1.5, { principal: APP, errorCode: 'KMSInvalidStateException' }),
  call('doomed', 1, { eventName: 'DescribeKey', userAgentFamily: 'keydeck' }),
  call('quiet-doomed', 1, { eventName: 'DescribeKey', userAgentFamily: 'keydeck' }),
  // Another Region's call of a same-named key does not count here.
  call('never', 1, { region: 'eu-west-1', keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/never' }),
];

describe('monthlyCost', () => {
  it('is a key-month plus the first two rotations’ surcharge', () => {
    expect(monthlyCost({ rotations: [] }, table)).toBe(1);
    expect(monthlyCost({ rotations: [1] }, table)).toBe(2);
    expect(monthlyCost({ rotations: [1, 2, 3, 4] }, table)).toBe(3);
  });
});

describe.each(testBackends)('unused keys on $name', (backend) => {
  it('lists customer managed keys nobody but Keydeck called, and pending deletions still called, with their callers', async () => {
    const store = await backend.open();
    try {
      await insertEvents(store.db, EVENTS.filter((e) => e.region === 'us-east-1'));
      await insertEvents(store.db, EVENTS.filter((e) => e.region === 'eu-west-1'));
      const base = { account: ACCOUNT, region: 'us-east-1', keys: KEYS, table, nowS: NOW };
      const r30 = await unusedKeys(store.db, { ...base, days: 30 });
      expect(r30.keys.map((k) => [k.name, k.monthly])).toEqual([
        ['alias/old-use', 3],
        ['alias/disabled', 2],
        ['alias/console-only', 1],
        ['alias/never', 1],
      ]);
      expect(r30.monthlyTotal).toBe(7);
      expect(r30.to - r30.from).toBe(30 * DAY_S);
      expect(r30.historyFrom).toBe(NOW - 45 * DAY_S);
      expect(r30.pendingButCalled).toEqual([
        {
          arn: arn('doomed'),
          id: 'doomed',
          name: 'alias/doomed',
          deletionAt: (NOW + 5 * DAY_S) * 1000,
          calls: 3,
          errors: 3,
          capped: false,
          since: NOW - 4 * DAY_S + 1,
          lastCall: NOW - Math.round(1.5 * DAY_S),
          callers: [
            { name: JOB, calls: 2 },
            { name: APP, calls: 1 },
          ],
        },
      ]);
      const r60 = await unusedKeys(store.db, { ...base, days: 60 });
      expect(r60.keys.map((k) => k.name)).toEqual(['alias/disabled', 'alias/console-only', 'alias/never']);
      expect(r60.priceSource).toBe('https://aws.amazon.com/kms/pricing/');
    } finally {
      await store.close();
    }
  });
});

describe('unusedCsv', () => {
  it('writes both lists, callers named, quoting what needs it', () => {
    const csv = unusedCsv({
      account: ACCOUNT,
      region: 'us-east-1',
      days: 30,
      from: NOW - 30 * DAY_S,
      to: NOW,
      historyFrom: null,
      keys: [{ arn: arn('never'), id: 'never', name: 'alias/never, "old"', state: 'Enabled', createdAt: Date.UTC(2026, 0, 2), monthly: 1 }],
      monthlyTotal: 1,
      pendingButCalled: [{ arn: arn('doomed'), id: 'doomed', name: 'alias/doomed', deletionAt: Date.UTC(2026, 11, 9), calls: 3, errors: 3, capped: false, since: NOW - 4 * DAY_S, lastCall: NOW, callers: [{ name: JOB, calls: 2 }, { name: APP, calls: 1 }] }],
      priceSource: table.source,
      pricesCheckedOn: table.checkedOn,
    });
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('list,key_id,name,key_arn,state,created,monthly_usd,deletion_date,calls,last_call,callers');
    expect(lines[1]).toBe(`unused,never,"alias/never, ""old""",${arn('never')},Enabled,2026-01-02,1.00,,0,,`);
    expect(lines[2]).toBe(`pending deletion (still called),doomed,alias/doomed,${arn('doomed')},PendingDeletion,,,2026-12-09,3,2026-12-04T10:20:00.000Z,${JOB} (2); ${APP} (1)`);
  });
});
