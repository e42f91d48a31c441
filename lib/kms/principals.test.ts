import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, DEFAULT_IDENTITIES, type Emulator } from '@/lib/emulator';
import { accountFromAliases, knownPrincipals, listPrincipals, principalOfIdentity, recentKmsCallers, resolveAccountId } from './principals';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('listPrincipals', () => {
  it('lists the root, then the users and roles that called KMS in the region, a session as its role', async () => {
    emulator = createEmulator();
    const admin = emulator.kmsClient({ region: REGION });
    const app = emulator.kmsClient({ region: REGION, accessKeyId: 'AKIAAPPLICATION0001', secretAccessKey: 'application-secret' });
    const auditor = emulator.kmsClient({ region: REGION, accessKeyId: 'AKIAAUDITOR00000001', secretAccessKey: 'auditor-secret' });
    const keyId = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await app.send(new DescribeKeyCommand({ KeyId: keyId }));
    await auditor.send(new ListKeysCommand({}));
    // Another region's callers are not this region's.
    await emulator.kmsClient({ region: 'us-east-1', accessKeyId: 'AKIASECURITYADMIN01', secretAccessKey: 'security-admin-secret' }).send(new ListKeysCommand({}));

    const list = await listPrincipals(emulator.cloudTrailClient({ region: REGION }), ACCOUNT);
    expect(list.error).toBeUndefined();
    expect(list.principals.map((p) => p.arn)).toEqual([
      `arn:aws:iam::${ACCOUNT}:root`,
      `arn:aws:iam::${ACCOUNT}:role/app`,
      `arn:aws:iam::${ACCOUNT}:user/admin`,
      `arn:aws:iam::${ACCOUNT}:user/auditor`,
    ]);
    expect(list.principals[1]).toMatchObject({ kind: 'role', name: 'app', account: ACCOUNT, lastSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(list.principals[0].lastSeen).toBeUndefined();
    expect(list.eventsRead).toBeGreaterThanOrEqual(3);
    expect(list.truncated).toBe(false);
  });

  it('lists another account calling into this one after this account’s principals', async () => {
    emulator = createEmulator();
    const admin = emulator.kmsClient({ region: REGION });
    const partner = emulator.kmsClient({ region: REGION, accessKeyId: 'partner', secretAccessKey: 'partner' });
    const keyId = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    // Refused (no cross-account grant in the default policy), but still an event in this account's trail.
    await partner.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` })).catch(() => undefined);
    const list = await listPrincipals(emulator.cloudTrailClient({ region: REGION }), ACCOUNT);
    expect(list.principals.map((p) => p.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:user/admin`, 'arn:aws:iam::444455556666:user/admin']);
  });

  it('reads at most maxPages pages of 50 events and says so', async () => {
    emulator = createEmulator();
    const admin = emulator.kmsClient({ region: REGION });
    for (let i = 0; i < 60; i++) await admin.send(new ListKeysCommand({}));
    const list = await listPrincipals(emulator.cloudTrailClient({ region: REGION }), ACCOUNT, { maxPages: 1 });
    expect(list.eventsRead).toBe(50);
    expect(list.truncated).toBe(true);
    const all = await listPrincipals(emulator.cloudTrailClient({ region: REGION }), ACCOUNT, { maxPages: 2 });
    expect(all.eventsRead).toBe(60);
    expect(all.truncated).toBe(false);
  });

  it('finds an administrator whose rare writes are older than the last pages of KMS events', async () => {
    emulator = createEmulator();
    const securityAdmin = emulator.kmsClient({ region: REGION, accessKeyId: 'AKIASECURITYADMIN01', secretAccessKey: 'security-admin-secret' });
    await securityAdmin.send(new CreateKeyCommand({}));
    const auditor = emulator.kmsClient({ region: REGION, accessKeyId: 'AKIAAUDITOR00000001', secretAccessKey: 'auditor-secret' });
    for (let i = 0; i < 60; i++) await auditor.send(new ListKeysCommand({}));
    const list = await listPrincipals(emulator.cloudTrailClient({ region: REGION }), ACCOUNT, { maxPages: 1 });
    expect(list.principals.map((p) => p.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:role/security-admin`, `arn:aws:iam::${ACCOUNT}:user/auditor`]);
    expect(list.eventsRead).toBe(51);
  });

  it('still lists the root, with the error, when CloudTrail refuses', async () => {
    emulator = createEmulator();
    const trail = emulator.cloudTrailClient({ region: REGION, accessKeyId: 'AKIAAPPLICATION0001', secretAccessKey: 'application-secret' });
    const list = await listPrincipals(trail, ACCOUNT);
    expect(list.principals.map((p) => p.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:root`]);
    expect(list.error?.name).toMatch(/AccessDenied/);
  });
});

describe('recentKmsCallers', () => {
  it('lists the callers of KMS as they called: a session, not its role', async () => {
    emulator = createEmulator();
    const app = emulator.kmsClient({ region: REGION, accessKeyId: 'AKIAAPPLICATION0001', secretAccessKey: 'application-secret' });
    const keyId = (await emulator.kmsClient({ region: REGION }).send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await app.send(new DescribeKeyCommand({ KeyId: keyId }));
    const callers = await recentKmsCallers(emulator.cloudTrailClient({ region: REGION }));
    expect(callers.sort()).toEqual([`arn:aws:iam::${ACCOUNT}:user/admin`, `arn:aws:sts::${ACCOUNT}:assumed-role/app/keydeck`]);
  });
});

describe('knownPrincipals', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: ['444455556666', `arn:aws:iam::${ACCOUNT}:role/app`], Service: 'logs.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }],
  });
  const base = { account: ACCOUNT, consoleCaller: `arn:aws:iam::${ACCOUNT}:user/admin`, policy, granteePrincipals: [`arn:aws:iam::${ACCOUNT}:user/bob`], callers: [`arn:aws:iam::${ACCOUNT}:user/admin`] };

  it('lists each principal once with all its sources: root, console, policy, grants, CloudTrail', () => {
    const known = knownPrincipals(base);
    expect(known.map((k) => [k.id, k.sources])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:root`, ['account']],
      [`arn:aws:iam::${ACCOUNT}:user/admin`, ['console', 'cloudtrail']],
      ['arn:aws:iam::444455556666:root', ['policy']],
      [`arn:aws:iam::${ACCOUNT}:role/app`, ['policy']],
      ['logs.amazonaws.com', ['policy']],
      [`arn:aws:iam::${ACCOUNT}:user/bob`, ['grant']],
    ]);
    expect(known.every((k) => k.identityPolicies === undefined)).toBe(true);
    expect(known[2].label).toBe('account 444455556666 (root)');
  });

  it('adds the demo account’s identities with their IAM policies in demo mode, and none for a root', () => {
    const known = knownPrincipals({ ...base, demoIdentities: DEFAULT_IDENTITIES });
    const app = known.find((k) => k.id === `arn:aws:sts::${ACCOUNT}:assumed-role/app/keydeck`);
    expect(app?.sources).toEqual(['account']);
    expect(app?.identityPolicies?.[0]).toContain('kms:Encrypt');
    expect(known.find((k) => k.id === `arn:aws:iam::${ACCOUNT}:root`)?.identityPolicies).toEqual([]);
    // Another account's identities are not this account's IAM.
    expect(known.some((k) => k.id === 'arn:aws:iam::444455556666:user/admin')).toBe(false);
  });

  it('names no one from a policy that does not parse', () => {
    expect(knownPrincipals({ ...base, policy: '{', granteePrincipals: [], callers: [] }).map((k) => k.id)).toEqual([`arn:aws:iam::${ACCOUNT}:root`, base.consoleCaller]);
  });
});

describe('principalOfIdentity', () => {
  it('skips identities a key policy cannot name', () => {
    expect(principalOfIdentity({ type: 'AWSService' })).toBeNull();
    expect(principalOfIdentity({ type: 'FederatedUser', arn: 'arn:aws:sts::111122223333:federated-user/bob' })).toBeNull();
    expect(principalOfIdentity({ type: 'Root', accountId: ACCOUNT })?.arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
  });
});

describe('accountFromAliases', () => {
  it('reads the account from an alias ARN, or gives null when the region has none', async () => {
    emulator = createEmulator();
    const kms = emulator.kmsClient({ region: REGION });
    expect(await accountFromAliases(kms)).toBeNull();
    emulator.createAwsManagedKeys(ACCOUNT, REGION);
    expect(await accountFromAliases(kms)).toBe(ACCOUNT);
  });
});

describe('resolveAccountId', () => {
  it('takes a configured account id, else the aliases’ account, else the caller’s, else fails', async () => {
    emulator = createEmulator();
    const kms = emulator.kmsClient({ region: REGION });
    expect(await resolveAccountId(ACCOUNT, kms)).toBe(ACCOUNT);
    expect(await resolveAccountId('default', kms, async () => '999988887777')).toBe('999988887777');
    await expect(resolveAccountId('default', kms, async () => undefined)).rejects.toMatchObject({ name: 'AccountUnknown' });
    emulator.createAwsManagedKeys(ACCOUNT, REGION);
    expect(await resolveAccountId('default', kms, async () => '999988887777')).toBe(ACCOUNT);
  });
});
