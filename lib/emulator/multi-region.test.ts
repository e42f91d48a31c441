import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  GetKeyLastUsageCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  GetPublicKeyCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  UpdatePrimaryRegionCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITIES, DEMO_ACCOUNT, PARTNER_ACCOUNT, type Identity } from './identities';
import { createEmulator } from './index';
import { awsError, bytes, DAY, testEmulator, text } from './test-support';

const ROOT = `arn:aws:iam::${DEMO_ACCOUNT}:root`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowRoot = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${DEMO_ACCOUNT}:key/${keyId}`;

/** An emulator with clients in us-east-1 (the primary's Region), eu-west-2 and eu-west-1. */
function regions(options: Parameters<typeof testEmulator>[0] = {}) {
  const t = testEmulator(options);
  const client = (region: string, who?: Identity): KMSClient =>
    t.emulator.kmsClient({ region, ...(who && { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey }) });
  return { ...t, virginia: t.kms, london: client('eu-west-2'), ireland: client('eu-west-1'), client };
}

async function primaryAndReplica(spec: { KeySpec?: KeySpec; KeyUsage?: KeyUsageType } = {}) {
  const r = regions();
  const { KeyMetadata } = await r.virginia.send(new CreateKeyCommand({ ...spec, MultiRegion: true }));
  const KeyId = KeyMetadata!.KeyId!;
  await r.virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }));
  return { ...r, KeyId };
}

describe('CreateKey with MultiRegion', () => {
  const specs: [KeySpec, KeyUsageType][] = [
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
    ['RSA_2048', 'SIGN_VERIFY'],
    ['ECC_NIST_P256', 'KEY_AGREEMENT'],
    ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY'],
    ['HMAC_256', 'GENERATE_VERIFY_MAC'],
    ['ML_DSA_44', 'SIGN_VERIFY'],
  ];
  it.each(specs)('creates a %s multi-Region primary key with an mrk- id and its MultiRegionConfiguration', async (KeySpec, KeyUsage) => {
    const { virginia } = regions();
    const { KeyMetadata: created } = await virginia.send(new CreateKeyCommand({ KeySpec, KeyUsage, MultiRegion: true }));
    expect(created!.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    const { KeyMetadata: described } = await virginia.send(new DescribeKeyCommand({ KeyId: created!.KeyId }));
    for (const m of [created, described]) {
      expect(m).toMatchObject({ KeySpec, KeyUsage, MultiRegion: true, Arn: arnIn('us-east-1', created!.KeyId!) });
      expect(m!.MultiRegionConfiguration).toEqual({
        MultiRegionKeyType: 'PRIMARY',
        PrimaryKey: { Arn: arnIn('us-east-1', created!.KeyId!), Region: 'us-east-1' },
        ReplicaKeys: [],
      });
    }
  });

  it('leaves single-Region keys with UUID ids and no MultiRegionConfiguration', async () => {
    const { virginia } = regions();
    const { KeyMetadata } = await virginia.send(new CreateKeyCommand({ MultiRegion: false }));
    expect(KeyMetadata!.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(KeyMetadata!.MultiRegion).toBe(false);
    expect(KeyMetadata!.MultiRegionConfiguration).toBeUndefined();
  });
});

describe('ReplicateKey', () => {
  it('creates a replica with the same key id and key material in the other Region and returns its metadata, policy and tags', async () => {
    const { virginia, london, now } = regions();
    const { KeyMetadata: primary } = await virginia.send(new CreateKeyCommand({ MultiRegion: true, Description: 'primary' }));
    const KeyId = primary!.KeyId!;
    const answer = await virginia.send(
      new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2', Description: 'replica', Tags: [{ TagKey: 'team', TagValue: 'payments' }] }),
    );
    expect(answer.ReplicaKeyMetadata).toMatchObject({
      AWSAccountId: DEMO_ACCOUNT,
      KeyId,
      Arn: arnIn('eu-west-2', KeyId),
      CreationDate: now(),
      Description: 'replica',
      // AWS answers while the replica is still being created.
      KeyState: 'Creating',
      Enabled: false,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'AWS_KMS',
      MultiRegion: true,
      CurrentKeyMaterialId: primary!.CurrentKeyMaterialId,
      MultiRegionConfiguration: {
        MultiRegionKeyType: 'REPLICA',
        PrimaryKey: { Arn: arnIn('us-east-1', KeyId), Region: 'us-east-1' },
        ReplicaKeys: [{ Arn: arnIn('eu-west-2', KeyId), Region: 'eu-west-2' }],
      },
    });
    expect(JSON.parse(answer.ReplicaPolicy!)).toMatchObject({ Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions' }] });
    expect(answer.ReplicaTags).toEqual([{ TagKey: 'team', TagValue: 'payments' }]);
    // Ready once created; listed and described in its own Region.
    expect((await london.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Enabled', Enabled: true, Description: 'replica' });
    expect((await london.send(new ListKeysCommand({}))).Keys).toEqual([{ KeyId, KeyArn: arnIn('eu-west-2', KeyId) }]);
    expect((await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.Description).toBe('primary');
  });

  it('is recorded in CloudTrail as ReplicateKey in the primary Region and CreateKey in the replica Region', async () => {
    const t = testEmulator();
    const virginia = t.emulator.kmsClient({ region: 'us-east-1' });
    const { KeyMetadata } = await virginia.send(new CreateKeyCommand({ MultiRegion: true }));
    await virginia.send(new ReplicateKeyCommand({ KeyId: KeyMetadata!.KeyId, ReplicaRegion: 'eu-west-2', Description: 'replica' }));
    const lookup = async (region: string) =>
      (await t.emulator.cloudTrailClient({ region }).send(new LookupEventsCommand({}))).Events!.map((e) => JSON.parse(e.CloudTrailEvent!));
    const [replicate] = await lookup('us-east-1');
    expect(replicate).toMatchObject({ eventName: 'ReplicateKey', awsRegion: 'us-east-1', requestParameters: { replicaRegion: 'eu-west-2' } });
    const london = await lookup('eu-west-2');
    expect(london).toHaveLength(1);
    expect(london[0]).toMatchObject({
      eventName: 'CreateKey',
      awsRegion: 'eu-west-2',
      requestID: replicate.requestID,
      requestParameters: { description: 'replica', multiRegion: true },
      resources: [{ ARN: arnIn('eu-west-2', KeyMetadata!.KeyId!) }],
    });
  });

  it('shows the whole set on every member: the primary, then replicas in the order they were made', async () => {
    const { virginia, london, ireland, KeyId } = await primaryAndReplica();
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-1' }));
    const replicas = [
      { Arn: arnIn('eu-west-2', KeyId), Region: 'eu-west-2' },
      { Arn: arnIn('eu-west-1', KeyId), Region: 'eu-west-1' },
    ];
    const primaryKey = { Arn: arnIn('us-east-1', KeyId), Region: 'us-east-1' };
    expect((await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.MultiRegionConfiguration).toEqual({ MultiRegionKeyType: 'PRIMARY', PrimaryKey: primaryKey, ReplicaKeys: replicas });
    for (const client of [london, ireland]) {
      expect((await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.MultiRegionConfiguration).toEqual({ MultiRegionKeyType: 'REPLICA', PrimaryKey: primaryKey, ReplicaKeys: replicas });
    }
  });

  it('refuses a second replica in the same Region with AlreadyExistsException, even one pending deletion', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('AlreadyExistsException'));
    await london.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('AlreadyExistsException'));
  });

  it('refuses a single-Region key and a replica as the source with UnsupportedOperationException', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    const { KeyMetadata } = await virginia.send(new CreateKeyCommand({}));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId: KeyMetadata!.KeyId, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    await expect(london.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-1' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
  });

  it('refuses the primary key’s own Region, another partition and a malformed Region with ValidationException', async () => {
    const { virginia } = regions();
    const { KeyId } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'us-east-1' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'cn-north-1' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'Mars' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'Mars' at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$",
    });
  });

  it('refuses a disabled primary with DisabledException and takes the primary by id or ARN only', async () => {
    const { virginia } = regions();
    const { KeyId, Arn } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await virginia.send(new CreateAliasCommand({ AliasName: 'alias/global', TargetKeyId: KeyId }));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId: 'alias/global', ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('NotFoundException'));
    await virginia.send(new DisableKeyCommand({ KeyId }));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId: Arn, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('DisabledException'));
  });

  it('is not for other accounts: a partner named in the key policy still gets NotFoundException', async () => {
    const { virginia, client } = regions();
    const partner = DEFAULT_IDENTITIES.find((i) => i.accountId === PARTNER_ACCOUNT)!;
    const shared = policy(allowRoot, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' });
    const { Arn } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true, Policy: shared }))).KeyMetadata!;
    await expect(client('us-east-1', partner).send(new ReplicateKeyCommand({ KeyId: Arn, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('replicates a primary with imported key material as a replica awaiting its own import', async () => {
    const { virginia, london } = regions();
    const { KeyId } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' }))).KeyMetadata!;
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }));
    expect((await london.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', MultiRegion: true });
  });

  it('applies a given policy after the lockout safety check', async () => {
    const { virginia, london } = regions();
    const { KeyId } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    const lockout = policy({ Sid: 'Nobody', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:role/app` }, Action: 'kms:Encrypt', Resource: '*' });
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2', Policy: lockout }))).rejects.toMatchObject(awsError('MalformedPolicyDocumentException'));
    const custom = policy(allowRoot, { Sid: 'Extra', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' });
    const { ReplicaPolicy } = await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2', Policy: custom }));
    expect(ReplicaPolicy).toBe(custom);
    expect((await london.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(custom);
    expect(JSON.parse((await virginia.send(new GetKeyPolicyCommand({ KeyId }))).Policy!).Id).toBe('key-default-1');
  });
});

describe('using related multi-Region keys interchangeably', () => {
  it('decrypts in eu-west-2 through the replica a ciphertext made in us-east-1, and back', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    const context = { order: '42' };
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('across the Atlantic'), EncryptionContext: context }));
    const decrypted = await london.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    expect(text(decrypted.Plaintext)).toBe('across the Atlantic');
    expect(decrypted.KeyId).toBe(arnIn('eu-west-2', KeyId));
    await expect(london.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { order: '43' } }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
    const dataKey = await london.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256' }));
    expect((await virginia.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }))).Plaintext).toEqual(dataKey.Plaintext);
  });

  it('does not decrypt a single-Region key’s ciphertext in another Region', async () => {
    const { virginia, london } = regions();
    const { KeyId } = (await virginia.send(new CreateKeyCommand({}))).KeyMetadata!;
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('stays home') }));
    await expect(london.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
  });

  it('does not decrypt a multi-Region ciphertext in a Region without a replica', async () => {
    const { virginia, ireland, KeyId } = await primaryAndReplica();
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await expect(ireland.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
  });

  it('signs in us-east-1 and verifies in eu-west-2, with the same public key in both', async () => {
    for (const [KeySpec, SigningAlgorithm] of [['ECC_NIST_P256', 'ECDSA_SHA_256'], ['RSA_2048', 'RSASSA_PSS_SHA_256']] as const) {
      const { virginia, london, KeyId } = await primaryAndReplica({ KeySpec, KeyUsage: 'SIGN_VERIFY' });
      const { Signature } = await virginia.send(new SignCommand({ KeyId, Message: bytes('release 1.0'), SigningAlgorithm }));
      await expect(london.send(new VerifyCommand({ KeyId, Message: bytes('release 1.0'), Signature, SigningAlgorithm }))).resolves.toMatchObject({ SignatureValid: true });
      await expect(london.send(new VerifyCommand({ KeyId, Message: bytes('release 2.0'), Signature, SigningAlgorithm }))).rejects.toMatchObject(awsError('KMSInvalidSignatureException'));
      const [a, b] = await Promise.all([virginia, london].map((c) => c.send(new GetPublicKeyCommand({ KeyId }))));
      expect(a.PublicKey).toEqual(b.PublicKey);
    }
  });

  it('makes the same HMAC in every Region of the set', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const { Mac } = await virginia.send(new GenerateMacCommand({ KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_384' }));
    await expect(london.send(new VerifyMacCommand({ KeyId, Message: bytes('m'), Mac, MacAlgorithm: 'HMAC_SHA_384' }))).resolves.toMatchObject({ MacValid: true });
  });
});

describe('replicas are keys of their own', () => {
  it('has its own state, policy, tags and aliases', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    await london.send(new DisableKeyCommand({ KeyId }));
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await expect(london.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('DisabledException'));
    expect((await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeyState).toBe('Enabled');

    await virginia.send(new PutKeyPolicyCommand({ KeyId, Policy: policy(allowRoot, { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }) }));
    expect(JSON.parse((await london.send(new GetKeyPolicyCommand({ KeyId }))).Policy!).Statement).toHaveLength(1);

    const { TagResourceCommand } = await import('@aws-sdk/client-kms');
    await virginia.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'where', TagValue: 'virginia' }] }));
    expect((await london.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([]);

    await virginia.send(new CreateAliasCommand({ AliasName: 'alias/global', TargetKeyId: KeyId }));
    await expect(london.send(new DescribeKeyCommand({ KeyId: 'alias/global' }))).rejects.toMatchObject(awsError('NotFoundException'));
    await london.send(new CreateAliasCommand({ AliasName: 'alias/global', TargetKeyId: KeyId }));
    expect((await london.send(new DescribeKeyCommand({ KeyId: 'alias/global' }))).KeyMetadata!.Arn).toBe(arnIn('eu-west-2', KeyId));
  });

  it('tracks its own last use (GetKeyLastUsage)', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await london.send(new DecryptCommand({ CiphertextBlob }));
    expect((await virginia.send(new GetKeyLastUsageCommand({ KeyId }))).KeyLastUsage).toMatchObject({ Operation: 'Encrypt' });
    expect((await london.send(new GetKeyLastUsageCommand({ KeyId }))).KeyLastUsage).toMatchObject({ Operation: 'Decrypt' });
  });
});

describe('UpdatePrimaryRegion', () => {
  it('makes the replica the primary and the primary a replica, as every member then shows', async () => {
    const { virginia, london, ireland, KeyId } = await primaryAndReplica();
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-1' }));
    await virginia.send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'eu-west-2' }));
    const expected = {
      PrimaryKey: { Arn: arnIn('eu-west-2', KeyId), Region: 'eu-west-2' },
      ReplicaKeys: [
        { Arn: arnIn('us-east-1', KeyId), Region: 'us-east-1' },
        { Arn: arnIn('eu-west-1', KeyId), Region: 'eu-west-1' },
      ],
    };
    expect((await london.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.MultiRegionConfiguration).toEqual({ MultiRegionKeyType: 'PRIMARY', ...expected });
    for (const client of [virginia, ireland]) {
      expect((await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'REPLICA', PrimaryKey: expected.PrimaryKey });
    }
    // Only the new primary replicates now.
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'ap-southeast-2' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    const { ReplicaKeyMetadata } = await london.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'ap-southeast-2' }));
    expect(ReplicaKeyMetadata!.MultiRegionConfiguration!.PrimaryKey!.Region).toBe('eu-west-2');
  });

  it('refuses a replica, a single-Region key, a Region without a replica and keys not Enabled', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    await expect(london.send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'us-east-1' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    const single = (await virginia.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId;
    await expect(virginia.send(new UpdatePrimaryRegionCommand({ KeyId: single, PrimaryRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    await expect(virginia.send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'eu-west-1' }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(virginia.send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'us-east-1' }))).rejects.toMatchObject(awsError('ValidationException'));
    await london.send(new DisableKeyCommand({ KeyId }));
    await expect(virginia.send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'eu-west-2' }))).rejects.toMatchObject(awsError('DisabledException'));
  });
});

describe('rotation of multi-Region keys', () => {
  it('is managed on the primary; the replica shows the shared status and refuses changes', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    await virginia.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
    const status = await virginia.send(new GetKeyRotationStatusCommand({ KeyId }));
    expect(await london.send(new GetKeyRotationStatusCommand({ KeyId }))).toMatchObject({
      KeyId: arnIn('eu-west-2', KeyId),
      KeyRotationEnabled: true,
      RotationPeriodInDays: 90,
      NextRotationDate: status.NextRotationDate,
    });
    await expect(london.send(new EnableKeyRotationCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    await expect(london.send(new RotateKeyOnDemandCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
  });

  it('rotating the primary on demand rotates the replicas: new ciphertexts decrypt in every Region', async () => {
    const { virginia, london, ireland, KeyId } = await primaryAndReplica();
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-1' }));
    await virginia.send(new RotateKeyOnDemandCommand({ KeyId }));
    const current = (await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId;
    for (const client of [london, ireland]) expect((await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(current);
    const { CiphertextBlob, KeyMaterialId } = await london.send(new GenerateDataKeyCommand({ KeyId, NumberOfBytes: 32 }));
    expect(KeyMaterialId).toBe(current);
    await expect(ireland.send(new DecryptCommand({ CiphertextBlob }))).resolves.toMatchObject({ KeyMaterialId: current });
    await expect(virginia.send(new DecryptCommand({ CiphertextBlob }))).resolves.toBeDefined();
  });

  it('rotates replicas with their primary when automatic rotation is due, and only then', async () => {
    const { virginia, london, advance, KeyId } = await primaryAndReplica();
    await virginia.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }));
    advance(200 * DAY); // two rotations
    const [here, there] = await Promise.all([virginia, london].map((c) => c.send(new ListKeyRotationsCommand({ KeyId }))));
    expect(here.Rotations).toHaveLength(2);
    expect(there.Rotations!.map((r) => r.KeyMaterialId)).toEqual(here.Rotations!.map((r) => r.KeyMaterialId));
  });

  it('follows the new primary after UpdatePrimaryRegion', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    await virginia.send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'eu-west-2' }));
    await expect(virginia.send(new RotateKeyOnDemandCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    await london.send(new RotateKeyOnDemandCommand({ KeyId }));
    const { CiphertextBlob } = await london.send(new EncryptCommand({ KeyId, Plaintext: bytes('new material') }));
    expect(text((await virginia.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('new material');
  });
});

describe('deleting multi-Region keys', () => {
  it('holds a primary with replicas in PendingReplicaDeletion; its waiting period starts when the last replica is deleted', async () => {
    const { virginia, london, advance, now, KeyId } = await primaryAndReplica();
    const scheduled = await virginia.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: arnIn('us-east-1', KeyId), KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate).toBeUndefined();
    const { KeyMetadata } = await virginia.send(new DescribeKeyCommand({ KeyId }));
    expect(KeyMetadata).toMatchObject({ KeyState: 'PendingReplicaDeletion', Enabled: false, PendingDeletionWindowInDays: 7 });
    expect(KeyMetadata!.DeletionDate).toBeUndefined();
    // Unusable and not replicable, while the replica goes on working.
    await expect(virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await expect(virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-1' }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await expect(london.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
    // It can wait indefinitely.
    advance(100 * DAY);
    expect((await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeyState).toBe('PendingReplicaDeletion');

    await london.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 10 }));
    const replicaGone = now().getTime() + 10 * DAY;
    advance(10 * DAY);
    await expect(london.send(new DescribeKeyCommand({ KeyId }))).rejects.toMatchObject(awsError('NotFoundException'));
    const { KeyMetadata: after } = await virginia.send(new DescribeKeyCommand({ KeyId }));
    expect(after).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: new Date(replicaGone + 7 * DAY), MultiRegionConfiguration: { ReplicaKeys: [] } });
    advance(7 * DAY);
    await expect(virginia.send(new DescribeKeyCommand({ KeyId }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('deletes both in one step when the clock jumps past both waiting periods', async () => {
    const { virginia, london, advance, KeyId } = await primaryAndReplica();
    await virginia.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await london.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    advance(60 * DAY);
    await expect(virginia.send(new DescribeKeyCommand({ KeyId }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('cancels a PendingReplicaDeletion into Disabled; a primary without replicas goes straight to PendingDeletion', async () => {
    const { virginia, london, advance, KeyId } = await primaryAndReplica();
    await virginia.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await virginia.send(new CancelKeyDeletionCommand({ KeyId }));
    expect((await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled' });
    await london.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    advance(7 * DAY);
    // A primary left without replicas stays put: deleting a replica never schedules its primary.
    expect((await virginia.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled' });
    const scheduled = await virginia.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate).toBeInstanceOf(Date);
  });

  it('lets a deleted replica be made again from the primary, and old ciphertexts decrypt through it', async () => {
    const { virginia, london, advance, KeyId } = await primaryAndReplica();
    const { CiphertextBlob } = await london.send(new EncryptCommand({ KeyId, Plaintext: bytes('kept') }));
    await london.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    advance(7 * DAY);
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }));
    expect(text((await london.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('kept');
  });
});

describe('authorization of multi-Region operations', () => {
  const identity = (name: string, ...statements: object[]): Identity => ({
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/${name}`,
    accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`,
    secretAccessKey: `${name}-secret`,
    policies: [policy(...statements)],
    description: name,
  });
  const replicator = identity('replicator', { Effect: 'Allow', Action: ['kms:ReplicateKey', 'kms:CreateKey', 'kms:DescribeKey', 'kms:UpdatePrimaryRegion'], Resource: '*' });
  const noCreate = identity('nocreate', { Effect: 'Allow', Action: ['kms:ReplicateKey', 'kms:DescribeKey'], Resource: '*' });
  const setup = () => regions({ identities: [...DEFAULT_IDENTITIES, replicator, noCreate] });

  it('needs kms:ReplicateKey on the primary and kms:CreateKey in the replica Region', async () => {
    const { virginia, client } = setup();
    const { KeyId, Arn } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    const app = DEFAULT_IDENTITIES.find((i) => i.arn.includes('assumed-role/app'))!;
    await expect(client('us-east-1', app).send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`kms:ReplicateKey on resource: ${Arn}`),
    });
    await expect(client('us-east-1', noCreate).send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`kms:CreateKey on resource: arn:aws:kms:eu-west-2:${DEMO_ACCOUNT}:*`),
    });
    // Tags also need kms:TagResource in IAM.
    await expect(client('us-east-1', replicator).send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2', Tags: [{ TagKey: 'a', TagValue: 'b' }] }))).rejects.toMatchObject(
      awsError('AccessDeniedException'),
    );
    await expect(client('us-east-1', replicator).send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }))).resolves.toBeDefined();
  });

  it('lets a key policy limit replication to some Regions with kms:ReplicaRegion', async () => {
    const { virginia, client } = setup();
    const onlyLondon = policy(allowRoot, {
      Sid: 'ReplicateToLondonOnly',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:ReplicateKey',
      Resource: '*',
      Condition: { StringNotEquals: { 'kms:ReplicaRegion': 'eu-west-2' } },
    });
    const { KeyId } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true, Policy: onlyLondon }))).KeyMetadata!;
    const caller = client('us-east-1', replicator);
    await expect(caller.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-1' }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await expect(caller.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }))).resolves.toBeDefined();
  });

  it('needs kms:UpdatePrimaryRegion on both the primary and the replica', async () => {
    const { virginia, client } = setup();
    const { KeyId } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    const denyUpdate = policy(allowRoot, { Sid: 'NoUpdate', Effect: 'Deny', Principal: { AWS: replicator.arn }, Action: 'kms:UpdatePrimaryRegion', Resource: '*' });
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2', Policy: denyUpdate }));
    await expect(client('us-east-1', replicator).send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'eu-west-2' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`kms:UpdatePrimaryRegion on resource: ${arnIn('eu-west-2', KeyId!)}`),
    });
  });

  it('offers kms:MultiRegion and kms:MultiRegionKeyType to policies', async () => {
    const { virginia, london, KeyId } = await primaryAndReplica();
    const noReplicaUse = policy(allowRoot, {
      Sid: 'NoDecryptThroughReplicas',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:MultiRegionKeyType': 'REPLICA' }, Bool: { 'kms:MultiRegion': 'true' } },
    });
    await virginia.send(new PutKeyPolicyCommand({ KeyId, Policy: noReplicaUse }));
    await london.send(new PutKeyPolicyCommand({ KeyId, Policy: noReplicaUse }));
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await expect(virginia.send(new DecryptCommand({ CiphertextBlob }))).resolves.toBeDefined();
    await expect(london.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });
});

describe('persistence of multi-Region keys', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the set, its roles and its shared material across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-mrk-'));
    dirs.push(dataDir);
    const first = createEmulator({ dataDir });
    const virginia = first.kmsClient({ region: 'us-east-1' });
    const { KeyId } = (await virginia.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await virginia.send(new ReplicateKeyCommand({ KeyId, ReplicaRegion: 'eu-west-2' }));
    await virginia.send(new RotateKeyOnDemandCommand({ KeyId }));
    const { CiphertextBlob } = await virginia.send(new EncryptCommand({ KeyId, Plaintext: bytes('durable') }));
    await first.close();

    const second = createEmulator({ dataDir });
    const london = second.kmsClient({ region: 'eu-west-2' });
    expect(text((await london.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('durable');
    expect((await london.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.MultiRegionConfiguration).toMatchObject({
      MultiRegionKeyType: 'REPLICA',
      PrimaryKey: { Region: 'us-east-1' },
    });
    await second.kmsClient({ region: 'us-east-1' }).send(new UpdatePrimaryRegionCommand({ KeyId, PrimaryRegion: 'eu-west-2' }));
    await second.close();

    const third = createEmulator({ dataDir });
    expect((await third.kmsClient({ region: 'eu-west-2' }).send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType).toBe('PRIMARY');
    await third.close();
  });
});
