import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, GetKeyLastUsageCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import type { TrailEvent } from './cloudtrail';
import { seedDemo } from './demo-account';
import { DEFAULT_HISTORY_EVENTS, generateHistory, historyEventsFromEnv, type HistoryKey } from './history';
import { createEmulator } from './index';

const DAY = 86_400_000;
const END = Date.parse('2026-11-20T12:00:00Z');
const ARN = (region: string, n: number) => `arn:aws:kms:${region}:111122223333:key/${String(n).padStart(8, '0')}-1111-4222-8333-444455556666`;

/** A small account like the demo's: the special keys in the home Region, a fleet in two, a disabled key, one waiting for material, one made late. */
function sampleKeys(): HistoryKey[] {
  const created = END - 90 * DAY;
  const key = (alias: string, region: string, n: number, extra: Partial<HistoryKey> = {}): HistoryKey => ({ alias, region, arn: ARN(region, n), state: 'Enabled', spec: 'SYMMETRIC_DEFAULT', usage: 'ENCRYPT_DECRYPT', created, ...extra });
  return [
    key('alias/payments/card-data', 'us-east-1', 1),
    key('alias/payments/tokens', 'us-east-1', 2),
    key('alias/identity/jwt', 'us-east-1', 3, { spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY' }),
    key('alias/webhooks/hmac', 'us-east-1', 4, { spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC' }),
    key('alias/hr/records', 'us-east-1', 5),
    key('alias/platform/secrets', 'us-east-1', 6),
    key('alias/shared/partner-exchange', 'us-east-1', 7),
    key('alias/global/orders', 'us-east-1', 8),
    key('alias/global/orders', 'eu-west-1', 8),
    key('alias/platform/staging', 'us-east-1', 9, { state: 'Disabled' }),
    key('alias/byok/awaiting-material', 'us-east-1', 10, { state: 'PendingImport' }),
    key('alias/data/backups-prod', 'us-east-1', 11),
    key('alias/data/backups-prod', 'eu-west-1', 12),
    // Made 10 days before the end: no event may come before that.
    key('alias/search/db-encryption-prod', 'eu-west-1', 13, { created: END - 10 * DAY }),
    key('alias/mobile/hmac-prod', 'eu-west-1', 14, { spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC' }),
  ];
}

function run(events: number, seed?: number) {
  const written: TrailEvent[] = [];
  const result = generateHistory({ keys: sampleKeys(), home: 'us-east-1', end: END, days: 90, events, seed, write: (batch) => written.push(...batch) });
  return { result, written, records: written.map((e) => ({ event: e, record: JSON.parse(e.json) })) };
}

describe('the demo history generator', () => {
  const { result, written, records } = run(40_000);

  it('writes about the number of events asked for, the same ones for the same seed, others for another', () => {
    expect(result.events).toBe(written.length);
    expect(written.length).toBeGreaterThan(38_000);
    expect(written.length).toBeLessThan(42_000);
    const again = run(2_000);
    expect(run(2_000).written.map((e) => e.json)).toEqual(again.written.map((e) => e.json));
    expect(run(2_000, 99).written.map((e) => e.json)).not.toEqual(again.written.map((e) => e.json));
  });

  it('writes records in the shape of live calls: the emulator’s own record builder, with unique ids', () => {
    const { record } = records.find((r) => r.event.eventName === 'Encrypt' && r.record.userIdentity.type === 'AssumedRole' && !r.record.errorCode)!;
    expect(record).toMatchObject({
      eventVersion: '1.11',
      userIdentity: { type: 'AssumedRole', arn: expect.stringMatching(/^arn:aws:sts::111122223333:assumed-role\/app\//), accessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/), sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/app' } } },
      eventSource: 'kms.amazonaws.com',
      requestParameters: { keyId: expect.stringMatching(/^alias\//) },
      responseElements: null,
      readOnly: true,
      resources: [{ type: 'AWS::KMS::Key', ARN: expect.stringMatching(/^arn:aws:kms:/) }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
    });
    expect(new Set(written.map((e) => e.eventId)).size).toBe(written.length);
    expect(new Set(records.map((r) => r.record.requestID)).size).toBeGreaterThan(written.length * 0.95); // partner calls are in both accounts
  });

  it('keeps to the keys’ lives: nothing before a key exists or after the end, no use of a key waiting for material, a disabled key refuses', () => {
    const keys = new Map(sampleKeys().map((k) => [k.arn, k]));
    const outside = written.filter((e) => e.time > END || e.time <= END - 90 * DAY || e.resources.some((r) => e.time <= keys.get(r.ResourceName)!.created));
    expect(outside).toEqual([]);
    expect(written.some((e) => e.resources.some((r) => r.ResourceName === ARN('eu-west-1', 13)))).toBe(true); // the late key is used, after it exists
    expect(written.some((e) => e.resources.some((r) => r.ResourceName === ARN('us-east-1', 10)))).toBe(false);
    // Described by the auditor like any key, but every cryptographic call on it is refused.
    const onDisabled = records.filter((r) => r.event.resources[0]?.ResourceName === ARN('us-east-1', 9) && !['DescribeKey', 'GetKeyPolicy'].includes(r.event.eventName));
    expect(onDisabled.length).toBeGreaterThan(0);
    for (const { record } of onDisabled) expect(record).toMatchObject({ errorCode: 'DisabledException', errorMessage: `${ARN('us-east-1', 9)} is disabled.` });
  });

  it('has refusals, throttling, several callers and user agents, cross-account calls, and every Region used', () => {
    const errors = new Map<string, number>();
    for (const { record } of records) if (record.errorCode) errors.set(record.errorCode, (errors.get(record.errorCode) ?? 0) + 1);
    expect(errors.get('AccessDenied')).toBeGreaterThan(0);
    expect(errors.get('ThrottlingException')).toBeGreaterThan(0);
    const denied = records.find((r) => r.record.errorCode === 'AccessDenied')!.record;
    expect(denied.errorMessage).toMatch(/^User: arn:aws:(sts|iam)::111122223333:\S+ is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:\S+ (with an explicit deny in a resource-based policy|because no identity-based policy allows the kms:Encrypt action)$/);
    const throttled = records.find((r) => r.record.errorCode === 'ThrottlingException')!.record;
    expect(throttled.errorMessage).toBe('You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.');
    // Failures stay a minority.
    expect([...errors.values()].reduce((a, b) => a + b, 0)).toBeLessThan(written.length * 0.1);
    expect(new Set(written.map((e) => e.username)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(records.map((r) => r.record.userAgent)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(written.map((e) => e.eventName))).toEqual(new Set(['Encrypt', 'Decrypt', 'GenerateDataKey', 'Sign', 'GetPublicKey', 'GenerateMac', 'VerifyMac', 'DescribeKey', 'GetKeyPolicy']));
    expect(written.some((e) => e.account === '444455556666')).toBe(true);
    expect(new Set(written.map((e) => e.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
  });

  it('follows daily and weekly cycles, with a nightly batch burst', () => {
    const byHour = new Array(24).fill(0);
    let weekday = 0;
    let weekend = 0;
    for (const e of written) {
      const d = new Date(e.time);
      byHour[d.getUTCHours()]++;
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6) weekend++;
      else weekday++;
    }
    expect(byHour[12]).toBeGreaterThan(byHour[22] * 1.5); // midday against late evening
    expect(byHour[2]).toBeGreaterThan(byHour[1] * 2); // the 02:00 batch
    expect(weekday / 5).toBeGreaterThan((weekend / 2) * 1.3); // per day: busier on weekdays
  });
});

describe('the demo seed with history', () => {
  it('writes the history on the demo’s real keys, readable with LookupEvents, with the keys’ last use', async () => {
    let now = END - 90 * DAY;
    const emulator = createEmulator({ clock: () => new Date(now) });
    const { events } = await seedDemo({ emulator, setNow: (ms) => (now = ms), now: END, historyEvents: 3_000 });
    expect(events).toBeGreaterThan(2_500);
    const kms = emulator.kmsClient();
    const card = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments/card-data' }))).KeyMetadata!;
    const trail = emulator.cloudTrailClient();
    const page = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: card.KeyId! }], MaxResults: 50 }));
    expect(page.Events!.length).toBe(50);
    expect(page.NextToken).toBeDefined();
    for (const e of page.Events!) expect(e.EventTime!.getTime()).toBeGreaterThan(card.CreationDate!.getTime());
    // The last use the history made is what GetKeyLastUsage answers.
    const usage = await kms.send(new GetKeyLastUsageCommand({ KeyId: card.KeyId }));
    const newestOk = page.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => !r.errorCode && ['Encrypt', 'Decrypt'].includes(r.eventName));
    expect(usage.KeyLastUsage?.Operation).toBe(newestOk.eventName);
    await emulator.close();
  }, 120_000);
});

describe('KEYDECK_DEMO_HISTORY_EVENTS', () => {
  it('defaults to about a million, takes a whole number (0 for none), and refuses anything else by name', () => {
    expect(historyEventsFromEnv({})).toBe(DEFAULT_HISTORY_EVENTS);
    expect(historyEventsFromEnv({ KEYDECK_DEMO_HISTORY_EVENTS: '0' })).toBe(0);
    expect(historyEventsFromEnv({ KEYDECK_DEMO_HISTORY_EVENTS: '5_000' })).toBe(5000);
    expect(() => historyEventsFromEnv({ KEYDECK_DEMO_HISTORY_EVENTS: 'lots' })).toThrow(/KEYDECK_DEMO_HISTORY_EVENTS must be a whole number/);
    expect(() => historyEventsFromEnv({ KEYDECK_DEMO_HISTORY_EVENTS: '-1' })).toThrow(/KEYDECK_DEMO_HISTORY_EVENTS/);
  });
});
