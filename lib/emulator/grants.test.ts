import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  type CreateGrantCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITIES, DEMO_ACCOUNT, PARTNER_ACCOUNT, type Identity } from './identities';
import { createEmulator } from './index';
import type { GrantRecord, KeyRecord } from './store';
import { awsError, bytes, DAY, testEmulator, text } from './test-support';

const identity = (name: string) => DEFAULT_IDENTITIES.find((i) => i.arn.includes(name))!;
const AUDITOR = identity('user/auditor').arn;
const APP = identity('assumed-role/app').arn;
const SECURITY_ADMIN = identity('assumed-role/security-admin').arn;
const PARTNER = identity(`${PARTNER_ACCOUNT}:user/admin`).arn;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowRoot = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };

function setup(options: Parameters<typeof testEmulator>[0] = {}) {
  const t = testEmulator(options);
  const as = (who: Identity | string, region?: string): KMSClient => {
    const id = typeof who === 'string' ? identity(who) : who;
    return t.emulator.kmsClient({ accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, region });
  };
  const newKey = async (input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) => (await t.kms.send(new CreateKeyCommand(input))).KeyMetadata!;
  const grant = async (input: CreateGrantCommandInput, client: KMSClient = t.kms) => client.send(new CreateGrantCommand(input));
  return { ...t, admin: t.kms, as, newKey, grant, auditor: as('user/auditor') };
}

describe('grants authorize their operations', () => {
  it('a grantee with no key-policy or IAM permission (the auditor) can Encrypt and Decrypt only through a grant', async () => {
    const { newKey, grant, auditor } = setup();
    const { KeyId, Arn } = await newKey();
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));

    const { GrantId, GrantToken } = await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Encrypt', 'Decrypt'] });
    expect(GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(GrantToken).toEqual(expect.any(String));
    const { CiphertextBlob } = await auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('via grant') }));
    await expect(auditor.send(new DecryptCommand({ CiphertextBlob }))).resolves.toMatchObject({ KeyId: Arn });
    expect(text((await auditor.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('via grant');
    // The grant allows only what it names.
    await expect(auditor.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256' }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('a grant token works at once, also in the request that uses the grant; a malformed or unknown token is InvalidGrantTokenException', async () => {
    const { newKey, grant, auditor, admin } = setup();
    const { KeyId } = await newKey();
    const { GrantToken, GrantId } = await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['GenerateDataKey'] });
    await expect(auditor.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', GrantTokens: [GrantToken!] }))).resolves.toBeDefined();
    for (const bad of ['not-a-token', 'AAAA', `${GrantToken}x`]) {
      await expect(auditor.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', GrantTokens: [bad] }))).rejects.toMatchObject(
        awsError('InvalidGrantTokenException'),
      );
    }
    await admin.send(new RevokeGrantCommand({ KeyId, GrantId }));
    // The token of a deleted grant names nothing any more.
    await expect(admin.send(new DescribeKeyCommand({ KeyId, GrantTokens: [GrantToken!] }))).rejects.toMatchObject(awsError('InvalidGrantTokenException'));
  });

  it('lets a grantee in another account (partner) use the key by its ARN, which the key policy alone does not allow', async () => {
    const { newKey, grant, as } = setup();
    const { KeyId, Arn } = await newKey();
    const partner = as(`${PARTNER_ACCOUNT}:user/admin`);
    await expect(partner.send(new EncryptCommand({ KeyId: Arn, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));

    await grant({ KeyId, GranteePrincipal: PARTNER, Operations: ['Encrypt', 'Decrypt', 'DescribeKey'] });
    const { CiphertextBlob } = await partner.send(new EncryptCommand({ KeyId: Arn, Plaintext: bytes('cross-account') }));
    expect(text((await partner.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('cross-account');
    await expect(partner.send(new DescribeKeyCommand({ KeyId: Arn }))).resolves.toMatchObject({ KeyMetadata: { AWSAccountId: DEMO_ACCOUNT } });
    // Another account's key is named by its ARN; a bare key id looks in the caller's own account.
    await expect(partner.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('NotFoundException'));
    // ListGrants is not a grant operation.
    await expect(partner.send(new ListGrantsCommand({ KeyId: Arn }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('disappear with their key when it is deleted', async () => {
    const { newKey, grant, admin, advance } = setup();
    const { KeyId } = await newKey();
    const { GrantToken } = await grant({ KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: APP, Operations: ['Decrypt'] });
    await admin.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    // Kept while the key waits for deletion.
    expect((await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP }))).Grants).toHaveLength(1);
    advance(7 * DAY + 1);
    expect((await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP }))).Grants).toEqual([]);
    await expect(admin.send(new RetireGrantCommand({ GrantToken }))).rejects.toMatchObject(awsError('InvalidGrantTokenException'));
  });

  it('survive a restart of an emulator with a data dir', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-grants-'));
    try {
      const auditorKeys = { accessKeyId: identity('user/auditor').accessKeyId, secretAccessKey: identity('user/auditor').secretAccessKey };
      const first = createEmulator({ dataDir });
      const { KeyId } = (await first.kmsClient().send(new CreateKeyCommand({}))).KeyMetadata!;
      await first.kmsClient().send(new CreateGrantCommand({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Encrypt'], Name: 'kept' }));
      await first.close();
      const second = createEmulator({ dataDir });
      await expect(second.kmsClient(auditorKeys).send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
      expect((await second.kmsClient().send(new ListGrantsCommand({ KeyId }))).Grants).toMatchObject([{ Name: 'kept', GranteePrincipal: AUDITOR }]);
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('grant constraints', () => {
  it('EncryptionContextEquals allows only exactly that encryption context (AccessDeniedException otherwise)', async () => {
    const { newKey, grant, auditor } = setup();
    const { KeyId } = await newKey();
    await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { Department: 'IT' } } });
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext: { Department: 'IT' } }))).resolves.toBeDefined();
    // In a grant constraint the key is not case sensitive, the value is (API_GrantConstraints.html).
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext: { department: 'IT' } }))).resolves.toBeDefined();
    for (const EncryptionContext of [undefined, { Department: 'it' }, { Department: 'IT', Purpose: 'Test' }] as (Record<string, string> | undefined)[]) {
      await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    }
  });

  it('EncryptionContextSubset allows any context that includes its pairs', async () => {
    const { newKey, grant, auditor } = setup();
    const { KeyId } = await newKey();
    await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Encrypt', 'DescribeKey'], Constraints: { EncryptionContextSubset: { Department: 'IT' } } });
    for (const EncryptionContext of [{ Department: 'IT' }, { Department: 'IT', Purpose: 'Test' }] as Record<string, string>[]) {
      await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext }))).resolves.toBeDefined();
    }
    for (const EncryptionContext of [undefined, { Purpose: 'Test' }]) {
      await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    }
    // The constraint does not apply to an operation without an encryption context.
    await expect(auditor.send(new DescribeKeyCommand({ KeyId }))).resolves.toBeDefined();
  });

  it('refuses constraints on a key that takes no encryption context, and more than 8 pairs', async () => {
    const { newKey, grant } = setup();
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await expect(
      grant({ KeyId: hmac.KeyId, GranteePrincipal: AUDITOR, Operations: ['GenerateMac'], Constraints: { EncryptionContextSubset: { a: 'b' } } }),
    ).rejects.toMatchObject(awsError('ValidationException'));
    const { KeyId } = await newKey();
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    await expect(grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: nine } })).rejects.toMatchObject(
      awsError('ValidationException'),
    );
  });
});

describe('CreateGrant', () => {
  it('allows only operations the key type supports, as AWS does (ValidationException)', async () => {
    const { newKey, grant } = setup();
    const symmetric = await newKey();
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const signing = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const refused: [string, CreateGrantCommandInput['Operations']][] = [
      [hmac.KeyId!, ['Encrypt']],
      [hmac.KeyId!, ['GenerateMac', 'Decrypt']],
      [symmetric.KeyId!, ['Sign']],
      [symmetric.KeyId!, ['GenerateMac']],
      [symmetric.KeyId!, ['GetPublicKey']],
      [rsa.KeyId!, ['GenerateDataKey']],
      [signing.KeyId!, ['Encrypt']],
    ];
    for (const [KeyId, Operations] of refused) {
      await expect(grant({ KeyId, GranteePrincipal: AUDITOR, Operations })).rejects.toMatchObject(awsError('ValidationException'));
    }
    await expect(grant({ KeyId: hmac.KeyId, GranteePrincipal: AUDITOR, Operations: ['GenerateMac', 'VerifyMac', 'DescribeKey'] })).resolves.toBeDefined();
    await expect(grant({ KeyId: rsa.KeyId, GranteePrincipal: AUDITOR, Operations: ['Encrypt', 'GetPublicKey'] })).resolves.toBeDefined();
    await expect(grant({ KeyId: signing.KeyId, GranteePrincipal: AUDITOR, Operations: ['Sign', 'Verify'] })).resolves.toBeDefined();
  });

  it('refuses unknown operations, a grant of CreateGrant alone, and principals that are not IAM principals', async () => {
    const { newKey, grant } = setup();
    const { KeyId } = await newKey();
    await expect(grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['ScheduleKeyDeletion' as 'Encrypt'] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set:"),
    });
    await expect(grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['CreateGrant'] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Grants must not contain only the CreateGrant operation.',
    });
    await expect(grant({ KeyId, GranteePrincipal: 'bob', Operations: ['Decrypt'] })).rejects.toMatchObject(awsError('ValidationException'));
    await expect(grant({ KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:group/admins', Operations: ['Decrypt'] })).rejects.toMatchObject(
      awsError('ValidationException'),
    );
  });

  it('returns the existing grant for a retry with the same Name and parameters, with a new token; other parameters make a new grant', async () => {
    const { newKey, grant, admin, auditor } = setup();
    const { KeyId } = await newKey();
    const input = { KeyId, GranteePrincipal: AUDITOR, Operations: ['Encrypt', 'Decrypt'], Name: 'app-decrypt' } satisfies CreateGrantCommandInput;
    const first = await grant(input);
    const retry = await grant({ ...input, Operations: ['Decrypt', 'Encrypt'] });
    expect(retry.GrantId).toBe(first.GrantId);
    expect(retry.GrantToken).not.toBe(first.GrantToken);
    // All tokens of a grant are interchangeable.
    for (const token of [first.GrantToken!, retry.GrantToken!]) {
      await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), GrantTokens: [token] }))).resolves.toBeDefined();
    }
    const other = await grant({ ...input, Operations: ['Decrypt'] });
    expect(other.GrantId).not.toBe(first.GrantId);
    // Without a Name every request makes a grant.
    const { Name: _unnamed, ...anonymous } = input;
    expect((await grant(anonymous)).GrantId).not.toBe((await grant(anonymous)).GrantId);
    expect((await admin.send(new ListGrantsCommand({ KeyId }))).Grants).toHaveLength(4);
  });

  it('needs kms:CreateGrant, tested with kms:GranteePrincipal, kms:GrantOperations and kms:GrantConstraintType', async () => {
    const { newKey, grant, as } = setup();
    const securityAdmin = as('assumed-role/security-admin');
    const Policy = policy(
      allowRoot,
      { Sid: 'OnlyForTheApp', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { StringNotEquals: { 'kms:GranteePrincipal': APP } } },
      { Sid: 'NoEncrypt', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:GrantOperations': 'Encrypt' } } },
      { Sid: 'Constrained', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Null: { 'kms:GrantConstraintType': 'true' } } },
    );
    const { KeyId } = await newKey({ Policy });
    const constrained = { EncryptionContextSubset: { app: 'payments' } };
    await expect(grant({ KeyId, GranteePrincipal: APP, Operations: ['Decrypt'], Constraints: constrained }, securityAdmin)).resolves.toBeDefined();
    await expect(grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Decrypt'], Constraints: constrained }, securityAdmin)).rejects.toMatchObject(
      awsError('AccessDeniedException'),
    );
    await expect(grant({ KeyId, GranteePrincipal: APP, Operations: ['Decrypt', 'Encrypt'], Constraints: constrained }, securityAdmin)).rejects.toMatchObject(
      awsError('AccessDeniedException'),
    );
    await expect(grant({ KeyId, GranteePrincipal: APP, Operations: ['Decrypt'] }, securityAdmin)).rejects.toMatchObject(awsError('AccessDeniedException'));
    // The auditor's IAM policies do not allow kms:CreateGrant.
    await expect(grant({ KeyId, GranteePrincipal: APP, Operations: ['Decrypt'], Constraints: constrained }, as('user/auditor'))).rejects.toMatchObject(
      awsError('AccessDeniedException'),
    );
  });

  it('a grantee with CreateGrant from a grant passes on only some of its operations, under constraints at least as strict', async () => {
    const { newKey, grant, auditor, as } = setup();
    const { KeyId } = await newKey();
    await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Decrypt', 'CreateGrant'], Constraints: { EncryptionContextSubset: { Department: 'IT' } } });
    const child = (Operations: CreateGrantCommandInput['Operations'], Constraints?: CreateGrantCommandInput['Constraints']) =>
      grant({ KeyId, GranteePrincipal: SECURITY_ADMIN, Operations, Constraints }, auditor);
    await expect(child(['Decrypt'], { EncryptionContextSubset: { Department: 'IT', Team: 'payments' } })).resolves.toBeDefined();
    await expect(child(['Decrypt', 'CreateGrant'], { EncryptionContextEquals: { Department: 'IT' } })).resolves.toBeDefined();
    for (const [Operations, Constraints] of [
      [['Decrypt'], undefined],
      [['Decrypt'], { EncryptionContextSubset: { Team: 'payments' } }],
      [['Encrypt'], { EncryptionContextSubset: { Department: 'IT' } }],
    ] as const) {
      await expect(child([...Operations], Constraints)).rejects.toMatchObject(awsError('AccessDeniedException'));
    }
    // What the security admin got from the child grant works under the constraint.
    const { CiphertextBlob } = await as('assumed-role/app').send(
      new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext: { Department: 'IT', Team: 'payments' } }),
    );
    await expect(as('assumed-role/security-admin').send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { Department: 'IT', Team: 'payments' } }))).resolves.toBeDefined();
  });

  it('honours DryRun, needs an enabled key, and stops at 50,000 grants per key (LimitExceededException)', async () => {
    const { newKey, grant, admin, emulator } = setup();
    const { KeyId } = await newKey();
    const input = { KeyId, GranteePrincipal: AUDITOR, Operations: ['Decrypt'] } satisfies CreateGrantCommandInput;
    await expect(grant({ ...input, DryRun: true })).rejects.toMatchObject(awsError('DryRunOperationException'));
    expect((await admin.send(new ListGrantsCommand({ KeyId }))).Grants).toEqual([]);

    // Fill the key to the quota directly in the state (50,000 CreateGrant calls would only slow the test).
    const key = emulator.snapshot().find((c) => c.t === 'key' && c.id === KeyId)!.value as KeyRecord;
    const filler: GrantRecord = { grantId: '', grantToken: '', granteePrincipal: AUDITOR, operations: ['Decrypt'], issuingAccount: DEMO_ACCOUNT, createdAt: 0 };
    const grants = Array.from({ length: 50_000 }, (_, i) => ({ ...filler, grantId: i.toString(16).padStart(64, '0') }));
    emulator.applyChange({ t: 'key', region: key.region, id: KeyId!, value: { ...key, grants } });
    await expect(grant(input)).rejects.toMatchObject(awsError('LimitExceededException'));

    await admin.send(new DisableKeyCommand({ KeyId }));
    await expect(grant(input)).rejects.toMatchObject(awsError('DisabledException'));
  });
});

describe('ListGrants and ListRetirableGrants', () => {
  it('lists a grant in AWS’s GrantListEntry shape', async () => {
    const { newKey, grant, admin, now } = setup();
    const { KeyId, Arn } = await newKey();
    const { GrantId } = await grant({
      KeyId,
      GranteePrincipal: AUDITOR,
      RetiringPrincipal: APP,
      Operations: ['Decrypt', 'RetireGrant'],
      Constraints: { EncryptionContextEquals: { Department: 'IT' } },
    });
    const named = await grant({ KeyId, GranteePrincipal: APP, Operations: ['Encrypt'], Name: 'app-encrypt' });
    const { Grants, Truncated, NextMarker } = await admin.send(new ListGrantsCommand({ KeyId }));
    expect(Truncated).toBe(false);
    expect(NextMarker).toBeUndefined();
    expect(Grants).toEqual([
      {
        KeyId: Arn,
        GrantId,
        Name: '',
        CreationDate: now(),
        GranteePrincipal: AUDITOR,
        RetiringPrincipal: APP,
        IssuingAccount: `arn:aws:iam::${DEMO_ACCOUNT}:root`,
        Operations: ['Decrypt', 'RetireGrant'],
        Constraints: { EncryptionContextEquals: { Department: 'IT' } },
      },
      {
        KeyId: Arn,
        GrantId: named.GrantId,
        Name: 'app-encrypt',
        CreationDate: now(),
        GranteePrincipal: APP,
        IssuingAccount: `arn:aws:iam::${DEMO_ACCOUNT}:root`,
        Operations: ['Encrypt'],
      },
    ]);
  });

  it('pages with Limit and Marker and filters by GrantId and GranteePrincipal', async () => {
    const { newKey, grant, admin } = setup();
    const { KeyId } = await newKey();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await grant({ KeyId, GranteePrincipal: i % 2 ? APP : AUDITOR, Operations: ['Decrypt'] })).GrantId!);

    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await admin.send(new ListGrantsCommand({ KeyId, Limit: 2, Marker }));
      pages++;
      seen.push(...page.Grants!.map((g) => g.GrantId!));
      expect(page.Truncated).toBe(page.NextMarker !== undefined);
      Marker = page.NextMarker;
    } while (Marker);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    expect((await admin.send(new ListGrantsCommand({ KeyId, GrantId: ids[3] }))).Grants!.map((g) => g.GrantId)).toEqual([ids[3]]);
    expect((await admin.send(new ListGrantsCommand({ KeyId, GranteePrincipal: APP }))).Grants!.map((g) => g.GrantId)).toEqual([ids[1], ids[3]]);
    expect((await admin.send(new ListGrantsCommand({ KeyId, GrantId: 'f'.repeat(64) }))).Grants).toEqual([]);
    await expect(admin.send(new ListGrantsCommand({ KeyId, GrantId: 'nope' }))).rejects.toMatchObject(awsError('InvalidGrantIdException'));
    await expect(admin.send(new ListGrantsCommand({ KeyId, Marker: 'bogus' }))).rejects.toMatchObject(awsError('InvalidMarkerException'));
  });

  it('ListRetirableGrants finds the grants a principal may retire across keys, in the caller’s account only', async () => {
    const { newKey, grant, admin } = setup();
    const a = await newKey();
    const b = await newKey();
    const first = await grant({ KeyId: a.KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: APP, Operations: ['Decrypt'] });
    const second = await grant({ KeyId: b.KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: APP, Operations: ['Encrypt'] });
    await grant({ KeyId: b.KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: SECURITY_ADMIN, Operations: ['Encrypt'] });

    const all = await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP }));
    expect(all.Grants!.map((g) => [g.KeyId, g.GrantId])).toEqual([
      [a.Arn, first.GrantId],
      [b.Arn, second.GrantId],
    ]);
    const page = await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP, Limit: 1 }));
    expect(page).toMatchObject({ Truncated: true, Grants: [{ GrantId: first.GrantId }] });
    expect((await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: APP, Marker: page.NextMarker }))).Grants!.map((g) => g.GrantId)).toEqual([
      second.GrantId,
    ]);
    await expect(admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: PARTNER }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });
});

describe('RetireGrant and RevokeGrant', () => {
  it('the retiring principal retires a grant by its token, even with no IAM permission for it', async () => {
    const { newKey, grant, auditor, as } = setup();
    const { KeyId } = await newKey();
    const { GrantToken } = await grant({ KeyId, GranteePrincipal: APP, RetiringPrincipal: AUDITOR, Operations: ['Decrypt'] });
    await auditor.send(new RetireGrantCommand({ GrantToken }));
    expect((await as('user/admin').send(new ListGrantsCommand({ KeyId }))).Grants).toEqual([]);
    await expect(auditor.send(new RetireGrantCommand({ GrantToken }))).rejects.toMatchObject(awsError('InvalidGrantTokenException'));
  });

  it('retires by KeyId and GrantId: the grantee only if the grant allows RetireGrant; others are refused', async () => {
    const { newKey, grant, auditor, as, admin } = setup();
    const { KeyId, Arn } = await newKey();
    const { GrantId } = await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Decrypt'] });
    await expect(auditor.send(new RetireGrantCommand({ KeyId, GrantId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    // The security admin has no kms:RetireGrant in IAM and is not named in the grant.
    await expect(as('assumed-role/security-admin').send(new RetireGrantCommand({ KeyId, GrantId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    const retirable = await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['Decrypt', 'RetireGrant'] });
    await auditor.send(new RetireGrantCommand({ KeyId: Arn, GrantId: retirable.GrantId }));
    // The account that owns the key can retire any grant on it (here: an administrator with kms:RetireGrant in IAM).
    await admin.send(new RetireGrantCommand({ KeyId, GrantId }));
    expect((await admin.send(new ListGrantsCommand({ KeyId }))).Grants).toEqual([]);
    await expect(admin.send(new RetireGrantCommand({ KeyId, GrantId }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(admin.send(new RetireGrantCommand({ KeyId }))).rejects.toMatchObject(awsError('ValidationException'));
  });

  it('kms:RetireGrant in a key policy neither allows nor denies retiring: "not effective in a key policy" (grant-delete.html)', async () => {
    const { newKey, grant, auditor, as } = setup();
    const Policy = policy(
      allowRoot,
      { Sid: 'SecurityAdminRetires', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:role/security-admin` }, Action: 'kms:RetireGrant', Resource: '*' },
      { Sid: 'AuditorDoesNot', Effect: 'Deny', Principal: { AWS: AUDITOR }, Action: 'kms:RetireGrant', Resource: '*' },
    );
    const { KeyId } = await newKey({ Policy });
    const { GrantId } = await grant({ KeyId, GranteePrincipal: APP, RetiringPrincipal: AUDITOR, Operations: ['Decrypt'] });
    await expect(as('assumed-role/security-admin').send(new RetireGrantCommand({ KeyId, GrantId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await auditor.send(new RetireGrantCommand({ KeyId, GrantId }));
  });

  it('a retiring principal in another account retires by token; an explicit IAM Deny of kms:RetireGrant stops a retiring principal', async () => {
    const denied: Identity = {
      accountId: DEMO_ACCOUNT,
      arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/no-retire`,
      accessKeyId: 'AKIANORETIRE0000001',
      secretAccessKey: 'no-retire',
      policies: [policy({ Effect: 'Deny', Action: 'kms:RetireGrant', Resource: '*' })],
      description: 'test',
    };
    const { newKey, grant, as } = setup({ identities: [...DEFAULT_IDENTITIES, denied] });
    const { KeyId } = await newKey();
    const byPartner = await grant({ KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: PARTNER, Operations: ['Decrypt'] });
    await as(`${PARTNER_ACCOUNT}:user/admin`).send(new RetireGrantCommand({ GrantToken: byPartner.GrantToken }));
    const byDenied = await grant({ KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: denied.arn, Operations: ['Decrypt'] });
    await expect(as(denied).send(new RetireGrantCommand({ GrantToken: byDenied.GrantToken }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('RevokeGrant needs kms:RevokeGrant; a revoked grant allows nothing', async () => {
    const { newKey, grant, auditor, as } = setup();
    const { KeyId } = await newKey();
    const { GrantId } = await grant({ KeyId, GranteePrincipal: AUDITOR, RetiringPrincipal: AUDITOR, Operations: ['Encrypt', 'RetireGrant'] });
    await expect(auditor.send(new RevokeGrantCommand({ KeyId, GrantId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    const securityAdmin = as('assumed-role/security-admin');
    await expect(securityAdmin.send(new RevokeGrantCommand({ KeyId, GrantId, DryRun: true }))).rejects.toMatchObject(awsError('DryRunOperationException'));
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
    await securityAdmin.send(new RevokeGrantCommand({ KeyId, GrantId }));
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await expect(securityAdmin.send(new RevokeGrantCommand({ KeyId, GrantId }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(securityAdmin.send(new RevokeGrantCommand({ KeyId, GrantId: 'not-a-grant-id' }))).rejects.toMatchObject(awsError('InvalidGrantIdException'));
  });
});

describe('grants by key type', () => {
  it('an HMAC grant allows GenerateMac; a GenerateDataKey grant does not allow GenerateDataKeyWithoutPlaintext', async () => {
    const { newKey, grant, auditor } = setup();
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await grant({ KeyId: hmac.KeyId, GranteePrincipal: AUDITOR, Operations: ['GenerateMac'] });
    await expect(auditor.send(new GenerateMacCommand({ KeyId: hmac.KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' }))).resolves.toBeDefined();
    const { KeyId } = await newKey();
    await grant({ KeyId, GranteePrincipal: AUDITOR, Operations: ['GenerateDataKey'] });
    await expect(auditor.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId, KeySpec: 'AES_256' }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });
});
