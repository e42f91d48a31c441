import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, EncryptCommand, GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { signInForTest } from '@/lib/auth/test-request';
import { testEmulator } from '@/lib/emulator/test-support';
import { createGrant, listGrants, retireGrant, revokeGrant } from './grants';
import { parsePolicy } from '@/lib/policy';
import { simulate } from '@/lib/policy/access';
import { historyFile, loadKeyPolicy, saveKeyPolicy } from './key-policy';
import { keyFactsOf } from './key-policy-types';

// The save runs as a signed-in admin: a real session in the store, behind a stand-in for next/headers.
vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

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
  await signInForTest('admin');
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
    // The key's facts the simulator gives to conditions (kms:KeySpec …).
    expect(payload).toMatchObject({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', multiRegion: false });
    expect(payload.multiRegionKeyType).toBeUndefined();
    const app_ = payload.knownPrincipals.find((p) => p.id === APP_SESSION);
    expect(app_?.sources).toEqual(expect.arrayContaining(['cloudtrail', 'account']));
    expect(app_?.identityPolicies?.[0]).toContain('kms:Encrypt');
    expect(payload.knownPrincipals.find((p) => p.id === ROOT)?.sources).toEqual(expect.arrayContaining(['account', 'policy']));
    expect(payload.history).toEqual([]);
  });

  it("gives the simulator the key's aliases, so it decides kms:ResourceAliases conditions as KMS does", async () => {
    const { kms, cloudtrail, app } = setup();
    const byAlias = policy(
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Finance keys', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Encrypt', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance-key' } } },
    );
    const { KeyId } = (await kms.send(new CreateKeyCommand({ Policy: byAlias }))).KeyMetadata!;
    const encrypt = () => app.send(new EncryptCommand({ KeyId, Plaintext: new Uint8Array([1]) }));
    const simulated = async () => {
      const payload = await loadKeyPolicy({ kms, cloudtrail }, KeyId!, 'us-east-1');
      const parsed = parsePolicy(payload.policy);
      if (!parsed.ok) throw new Error('the policy does not parse');
      return { payload, decision: simulate({ principal: APP_SESSION, action: 'kms:Encrypt' }, { policy: parsed.policy, keyArn: payload.keyArn, key: keyFactsOf(payload), grants: [], identityPolicies: [] }).decision };
    };
    // No alias yet: KMS refuses, and so does the simulation.
    await expect(encrypt()).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const before = await simulated();
    expect(before.payload.aliases).toEqual([]);
    expect(before.decision).toMatchObject({ decision: 'Deny', reason: 'ImplicitDeny' });
    // With the alias (among others), both allow, by the statement that names it.
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/finance-key', TargetKeyId: KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/reports', TargetKeyId: KeyId }));
    await expect(encrypt()).resolves.toBeDefined();
    const after = await simulated();
    expect(after.payload.aliases).toEqual(['alias/finance-key', 'alias/reports']);
    expect(after.decision).toMatchObject({ decision: 'Allow', statements: [expect.objectContaining({ sid: 'Finance keys' })] });
  });
});

// The policy editor's save action, as app/(console)/keys/[keyId]/policy/actions.ts defines it: through
// defineAction, so each save lands in the audit log the history reads.
const saveAction = (kms: KMSClient) =>
  defineAction({
    name: 'PutKeyPolicy',
    role: 'admin',
    input: z.object({ region: z.string(), keyId: z.string(), policy: z.string(), bypassLockoutCheck: z.boolean() }),
    run: (input) => saveKeyPolicy(kms, input),
  });

describe('saveKeyPolicy', () => {
  it('refuses a lockout without calling KMS, saves otherwise, and the history comes from the audit log', async () => {
    const { kms, cloudtrail } = setup();
    const save = saveAction(kms);
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const original = (await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy;

    const lockout = await save({ keyId: KeyId!, region: 'us-east-1', policy: policy({ Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Encrypt', Resource: '*' }), bypassLockoutCheck: false });
    expect(lockout).toMatchObject({ ok: true, data: { status: 'lockout', explanation: expect.stringContaining('kms:PutKeyPolicy') } });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(original);

    const next = policy(rootStatement, { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Decrypt', Resource: '*' });
    const saved = await save({ keyId: KeyId!, region: 'us-east-1', policy: next, bypassLockoutCheck: false });
    expect(saved).toMatchObject({ ok: true, data: { status: 'saved', entry: { kind: 'saved', policy: next, keyArn: Arn } } });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(next);
    const third = policy(rootStatement);
    await save({ keyId: Arn!, region: 'us-east-1', policy: third, bypassLockoutCheck: false });

    // Newest first: both saves (one named the key by id, one by ARN), then the policy before the first.
    // The refused lockout changed nothing, so it is not a version.
    const payload = await loadKeyPolicy({ kms, cloudtrail }, KeyId!, 'us-east-1');
    expect(payload.history.map((h) => [h.kind, h.policy, h.by])).toEqual([
      ['saved', third, 'admin one (admin)'],
      ['saved', next, 'admin one (admin)'],
      ['before-first-save', original, 'the key, before this console first changed it'],
    ]);
    expect(payload.history.map((h) => h.id)).toEqual([expect.stringMatching(/^audit:\d+$/), expect.stringMatching(/^audit:\d+$/), expect.stringMatching(/^audit:\d+:before$/)]);
  });

  it('still shows saves from the history file of earlier versions', async () => {
    const { kms, cloudtrail } = setup();
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const old = policy(rootStatement, { Sid: 'Old', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Encrypt', Resource: '*' });
    await fs.mkdir(path.dirname(historyFile(dataDir)), { recursive: true });
    await fs.appendFile(historyFile(dataDir), `${JSON.stringify({ keyArn: Arn, savedAt: 1_700_000_000_000, by: 'arn:aws:iam::111122223333:user/admin', kind: 'saved', bypassLockoutCheck: false, policy: old })}\n`);
    await saveAction(kms)({ keyId: KeyId!, region: 'us-east-1', policy: policy(rootStatement), bypassLockoutCheck: false });
    const payload = await loadKeyPolicy({ kms, cloudtrail }, KeyId!, 'us-east-1');
    expect(payload.history.map((h) => [h.kind, h.id.split(':')[0]])).toEqual([
      ['saved', 'audit'],
      ['saved', 'file'],
    ]);
    expect(payload.history[1].policy).toBe(old);
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
