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
