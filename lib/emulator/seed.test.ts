import { DescribeKeyCommand, GetKeyRotationStatusCommand, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { DEMO_KEYS, seedDemoKeys } from './seed';
import { testEmulator } from './test-support';

describe('demo seed', () => {
  it('creates one aliased key per demo entry, in the states it names, and only into an empty region', async () => {
    const { kms } = testEmulator();
    expect(await seedDemoKeys(kms)).toBe(DEMO_KEYS.length);
    expect((await kms.send(new ListKeysCommand({}))).Keys).toHaveLength(DEMO_KEYS.length);
    expect((await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName)).toEqual(DEMO_KEYS.map((d) => d.alias));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/platform/staging' }))).KeyMetadata!.KeyState).toBe('Disabled');
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/legacy/reports' }))).KeyMetadata!.KeyState).toBe('PendingDeletion');
    const tokens = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments/tokens' }))).KeyMetadata!.KeyId;
    // GetKeyRotationStatus takes a key id or ARN, not an alias, as in AWS.
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: tokens }))).RotationPeriodInDays).toBe(90);
    expect(await seedDemoKeys(kms)).toBe(0);
  });
});

describe('demo usage history', () => {
  it('replays days of traffic as real, dated CloudTrail events, refused calls included, the same every time', async () => {
    const { createEmulator } = await import('./index');
    const { seedHistory } = await import('./seed-history');
    const { LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
    const end = Date.parse('2026-11-20T00:00:00Z');
    const run = async () => {
      let now = end - 3 * 86_400_000;
      const emulator = createEmulator({ clock: () => new Date(now) });
      await seedDemoKeys(emulator.kmsClient());
      const calls = await seedHistory({ emulator, setNow: (ms) => (now = ms), days: 3, end, peakPerHour: 4 });
      return { emulator, calls };
    };
    const { emulator, calls } = await run();
    expect(calls).toBeGreaterThan(50);
    expect((await run()).calls).toBe(calls);
    const trail = emulator.cloudTrailClient();
    const denied = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'auditor' }], MaxResults: 50 }));
    expect(denied.Events!.length).toBeGreaterThan(0);
    expect(JSON.parse(denied.Events![0].CloudTrailEvent!)).toMatchObject({ errorCode: 'AccessDenied' });
    const first = await trail.send(new LookupEventsCommand({ EndTime: new Date(end - 2 * 86_400_000), MaxResults: 1 }));
    expect(first.Events![0].EventTime!.getTime()).toBeLessThan(end - 2 * 86_400_000);
  });
});
