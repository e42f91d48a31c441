import crypto from 'node:crypto';
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand, ListAliasesCommand, ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, DAY, testEmulator } from '@/lib/emulator/test-support';
import { createAlias, deleteAlias, renameAlias, retargetAlias } from './key-aliases';
import { loadKeyDetail, loadKeyPolicy } from './key-detail';
import { cancelKeyDeletion, disableKey, enableKey, scheduleKeyDeletion, updateKeyDescription } from './key-lifecycle';
import { createKeyLike } from './key-manual-rotation';
import { getPublicKeyFiles } from './key-public-key';
import { replicateKey } from './key-replication';
import { putTag, untagKey } from './key-tags';

const newKey = async (kms: KMSClient, input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) => (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
const state = async (kms: KMSClient, KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeyState;

describe('key lifecycle', () => {
  it('disables and enables a key', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms);
    await disableKey(kms, KeyId);
    expect(await state(kms, KeyId)).toBe('Disabled');
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('DisabledException'));
    await enableKey(kms, KeyId);
    expect(await state(kms, KeyId)).toBe('Enabled');
  });

  it('schedules deletion 7 days out, and a cancelled deletion leaves the key Disabled', async () => {
    const { kms, now } = testEmulator();
    const KeyId = await newKey(kms);
    const scheduled = await scheduleKeyDeletion(kms, KeyId, 7);
    expect(scheduled).toEqual({ keyState: 'PendingDeletion', deletionDate: now().getTime() + 7 * DAY, pendingWindowInDays: 7 });
    const detail = await loadKeyDetail(kms, KeyId);
    expect(detail.row.state).toBe('PendingDeletion');
    expect(detail.row.deletionAt).toBe(scheduled.deletionDate);
    expect(await cancelKeyDeletion(kms, KeyId)).toEqual({ keyState: 'Disabled' });
  });

  it('refuses a waiting period outside 7–30 days with the KMS error', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms);
    await expect(scheduleKeyDeletion(kms, KeyId, 6)).rejects.toMatchObject(awsError('ValidationException'));
  });

  it('updates the description', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms, { Description: 'old' });
    await updateKeyDescription(kms, KeyId, 'new words');
    expect((await loadKeyDetail(kms, KeyId)).row.description).toBe('new words');
  });
});

describe('aliases and tags', () => {
  const aliasesOf = async (kms: KMSClient, KeyId: string) => ((await kms.send(new ListAliasesCommand({ KeyId }))).Aliases ?? []).map((a) => a.AliasName);

  it('adds, renames, retargets and deletes aliases', async () => {
    const { kms } = testEmulator();
    const a = await newKey(kms);
    const b = await newKey(kms);
    await createAlias(kms, 'alias/app', a);
    await renameAlias(kms, 'alias/app', 'alias/app-v2', a);
    expect(await aliasesOf(kms, a)).toEqual(['alias/app-v2']);
    await retargetAlias(kms, 'alias/app-v2', b);
    expect(await aliasesOf(kms, a)).toEqual([]);
    expect(await aliasesOf(kms, b)).toEqual(['alias/app-v2']);
    await deleteAlias(kms, 'alias/app-v2');
    expect(await aliasesOf(kms, b)).toEqual([]);
  });

  it('a rename onto a taken name fails with AlreadyExistsException and keeps the old alias', async () => {
    const { kms } = testEmulator();
    const a = await newKey(kms);
    await createAlias(kms, 'alias/one', a);
    await createAlias(kms, 'alias/two', a);
    await expect(renameAlias(kms, 'alias/one', 'alias/two', a)).rejects.toMatchObject(awsError('AlreadyExistsException'));
    expect(await aliasesOf(kms, a)).toEqual(['alias/one', 'alias/two']);
  });

  it('sets, renames and removes tags', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms, { Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    await putTag(kms, KeyId, { key: 'team', value: 'b' });
    await putTag(kms, KeyId, { key: 'owner', value: 'b', previousKey: 'team' });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([{ TagKey: 'owner', TagValue: 'b' }]);
    await untagKey(kms, KeyId, ['owner']);
    expect((await loadKeyDetail(kms, KeyId)).row.tags).toEqual({});
    await expect(putTag(kms, KeyId, { key: 'aws:x', value: '1' })).rejects.toMatchObject(awsError('TagException'));
  });
});

describe('key detail', () => {
  it('includes the last cryptographic use (GetKeyLastUsage) and the pretty-printed policy', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms);
    expect((await loadKeyDetail(kms, KeyId)).lastUsage).toMatchObject({ ok: true, operation: undefined });
    await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    const detail = await loadKeyDetail(kms, KeyId);
    expect(detail.lastUsage).toMatchObject({ ok: true, operation: 'Encrypt' });
    expect(detail.region).toBe('us-east-1');
    const { policy } = await loadKeyPolicy(kms, KeyId);
    expect(policy).toContain('\n  "Statement": [');
    expect(JSON.parse(policy).Id).toBe('key-default-1');
  });

  it('downloads an asymmetric public key as DER and a PEM that node:crypto reads', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const files = await getPublicKeyFiles(kms, KeyId);
    expect(files.keySpec).toBe('ECC_NIST_P256');
    const fromPem = crypto.createPublicKey(files.pem);
    expect(fromPem.asymmetricKeyType).toBe('ec');
    expect(crypto.createPublicKey({ key: Buffer.from(files.der), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' })).toBe(files.pem);
  });

  it('replicates a multi-Region primary with its description and tags, and lists the replica', async () => {
    const { kms, emulator } = testEmulator();
    const KeyId = await newKey(kms, { MultiRegion: true, Description: 'orders', Tags: [{ TagKey: 'team', TagValue: 'orders' }] });
    const replica = await replicateKey(kms, KeyId, 'eu-west-2');
    expect(replica.region).toBe('eu-west-2');
    const detail = await loadKeyDetail(kms, KeyId);
    expect(detail.multiRegion).toEqual({ type: 'PRIMARY', primary: { arn: detail.arn, region: 'us-east-1' }, replicas: [{ arn: replica.arn, region: 'eu-west-2' }] });
    const london = await loadKeyDetail(emulator.kmsClient({ region: 'eu-west-2' }), KeyId);
    expect(london.multiRegion?.type).toBe('REPLICA');
    expect(london.row.description).toBe('orders');
    expect(london.row.tags).toEqual({ team: 'orders' });
    await expect(replicateKey(kms, KeyId, 'eu-west-2')).rejects.toMatchObject(awsError('AlreadyExistsException'));
  });

  it('creates a key like another one for a manual rotation', async () => {
    const { kms } = testEmulator();
    const KeyId = await newKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'release signing', Tags: [{ TagKey: 'team', TagValue: 'release' }] });
    const created = await createKeyLike(kms, KeyId);
    const detail = await loadKeyDetail(kms, created.keyId);
    expect(detail.row).toMatchObject({ spec: 'RSA_2048', usage: 'SIGN_VERIFY', origin: 'AWS_KMS', description: 'release signing', tags: { team: 'release' }, state: 'Enabled' });
    const external = await newKey(kms, { Origin: 'EXTERNAL' });
    expect((await createKeyLike(kms, external)).keyState).toBe('PendingImport');
  });
});
