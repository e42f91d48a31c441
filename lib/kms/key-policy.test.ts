import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, EncryptCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from '@/lib/emulator/test-support';
import { createGrant, listGrants, retireGrant, revokeGrant } from './grants';
import { historyFile, loadKeyPolicy, saveKeyPolicy } from './key-policy';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/app/keydeck`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const rootStatement = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

let dataDir = '';
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'keydeck-policy-'));
  process.env.KEYDECK_DATA_DIR = dataDir;
  process.env.KEYDECK_MODE = 'demo';
});

function setup() {
  const t = testEmulator();
  return { kms: t.kms, cloudtrail: t.emulator.cloudTrailClient(), app: t.emulator.kmsClient({ accessKeyId: 'AKIAAPPLICATION0001', secretAccessKey: 'application-secret' }) };
}

describe('loadKeyPolicy', () => {
  it('returns the policy with the console caller, CloudTrail callers and the demo IAM principals', async () => {
    const { kms, cloudtrail, app } = setup();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await app.send(new EncryptCommand({ KeyId, Plaintext: new Uint8Array([1]) }));
    const payload = await loadKeyPolicy({ kms, cloudtrail }, KeyId!, 'us-east-1');
    expect(JSON.parse(payload.policy).Id).toBe('key-default-1');
    expect(payload.caller).toBe(`arn:aws:iam::${ACCOUNT}:user/admin`);
    const app_ = payload.knownPrincipals.find((p) => p.id === APP_SESSION);
    expect(app_?.sources).toEqual(expect.arrayContaining(['cloudtrail', 'account']));
    expect(app_?.identityPolicies?.[0]).toContain('kms:Encrypt');
    expect(payload.knownPrincipals.find((p) => p.id === ROOT)?.sources).toEqual(expect.arrayContaining(['account', 'policy']));
    expect(payload.history).toEqual([]);
  });
});

describe('saveKeyPolicy', () => {
  it('refuses a lockout without calling KMS, saves otherwise, and keeps an append-only history', async () => {
    const { kms, cloudtrail } = setup();
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const original = (await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy;

    const lockout = await saveKeyPolicy(kms, { keyId: KeyId!, region: 'us-east-1', policy: policy({ Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Encrypt', Resource: '*' }), bypassLockoutCheck: false });
    expect(lockout).toMatchObject({ status: 'lockout', explanation: expect.stringContaining('kms:PutKeyPolicy') });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(original);

    const next = policy(rootStatement, { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Decrypt', Resource: '*' });
    const saved = await saveKeyPolicy(kms, { keyId: KeyId!, region: 'us-east-1', policy: next, bypassLockoutCheck: false });
    expect(saved).toMatchObject({ status: 'saved', entry: { kind: 'saved', policy: next, keyArn: Arn } });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(next);

    const payload = await loadKeyPolicy({ kms, cloudtrail }, KeyId!, 'us-east-1');
    expect(payload.history.map((h) => h.kind)).toEqual(['saved', 'before-first-save']);
    expect(payload.history[1].policy).toBe(original);
    const lines = (await fs.readFile(historyFile(dataDir), 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });

  it('passes a malformed policy to KMS, whose exception is the answer', async () => {
    const { kms } = setup();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expect(saveKeyPolicy(kms, { keyId: KeyId!, region: 'us-east-1', policy: '{"Version": ', bypassLockoutCheck: false })).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });
});

describe('grants', () => {
  it('creates a grant with a constraint, lists it, and revokes it; retire removes another', async () => {
    const { kms } = setup();
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const created = await createGrant(kms, { keyId: KeyId!, granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/app`, operations: ['Decrypt', 'Encrypt'], encryptionContextSubset: { app: 'orders' } });
    expect(created.grantToken.length).toBeGreaterThan(10);
    const [row] = await listGrants(kms, KeyId!);
    expect(row).toMatchObject({ grantId: created.grantId, operations: ['Decrypt', 'Encrypt'], constraints: { encryptionContextSubset: { app: 'orders' } } });
    expect(row.createdAt).toBeGreaterThan(0);
    await revokeGrant(kms, KeyId!, created.grantId);
    expect(await listGrants(kms, KeyId!)).toEqual([]);

    const other = await createGrant(kms, { keyId: KeyId!, granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/app`, retiringPrincipal: `arn:aws:iam::${ACCOUNT}:user/admin`, operations: ['Encrypt'] });
    await retireGrant(kms, Arn!, other.grantId);
    expect(await listGrants(kms, KeyId!)).toEqual([]);
  });
});
