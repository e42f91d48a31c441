import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, DAY, testEmulator } from './test-support';

describe('aliases', () => {
  it('creates, lists (with dates and ARN), re-points and deletes an alias', async () => {
    const { kms, now } = testEmulator();
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/db', TargetKeyId: a.Arn }));
    expect((await kms.send(new ListAliasesCommand({}))).Aliases).toEqual([
      { AliasName: 'alias/app/db', AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/app/db', TargetKeyId: a.KeyId, CreationDate: now(), LastUpdatedDate: now() },
    ]);
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app/db', TargetKeyId: b.KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app/db' }))).KeyMetadata!.KeyId).toBe(b.KeyId);
    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/app/db', Plaintext: bytes('x') }));
    expect(enc.KeyId).toBe(b.Arn);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/db' }));
    expect((await kms.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
    await expect(kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/db' }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('refuses a duplicate (AlreadyExistsException), the reserved alias/aws/ prefix and bad names (InvalidAliasNameException)', async () => {
    const { kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/one', TargetKeyId: KeyId }));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/one', TargetKeyId: KeyId }))).rejects.toMatchObject(awsError('AlreadyExistsException'));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: KeyId }))).rejects.toMatchObject(awsError('InvalidAliasNameException'));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'one', TargetKeyId: KeyId }))).rejects.toMatchObject(awsError('InvalidAliasNameException'));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/has space', TargetKeyId: KeyId }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/two', TargetKeyId: 'alias/one' }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('re-points only to a key of the same type and usage', async () => {
    const { kms } = testEmulator();
    const sym = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const rsa = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: sym.KeyId }));
    await expect(kms.send(new UpdateAliasCommand({ AliasName: 'alias/x', TargetKeyId: rsa.KeyId }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new UpdateAliasCommand({ AliasName: 'alias/missing', TargetKeyId: sym.KeyId }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('filters by KeyId and pages', async () => {
    const { kms } = testEmulator();
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    for (const n of [1, 2, 3]) await kms.send(new CreateAliasCommand({ AliasName: `alias/a${n}`, TargetKeyId: a.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/b', TargetKeyId: b.KeyId }));
    expect((await kms.send(new ListAliasesCommand({ KeyId: b.Arn }))).Aliases!.map((x) => x.AliasName)).toEqual(['alias/b']);
    const p1 = await kms.send(new ListAliasesCommand({ Limit: 3 }));
    const p2 = await kms.send(new ListAliasesCommand({ Limit: 3, Marker: p1.NextMarker }));
    expect([...p1.Aliases!, ...p2.Aliases!].map((x) => x.AliasName)).toEqual(['alias/a1', 'alias/a2', 'alias/a3', 'alias/b']);
    expect(p2.Truncated).toBe(false);
  });

  it('disappears with its key when the key is deleted', async () => {
    const { kms, advance } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/gone', TargetKeyId: KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    advance(7 * DAY);
    expect((await kms.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
  });
});

describe('tags', () => {
  it('tags at creation, adds, replaces, lists and removes tags', async () => {
    const { kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'payments' }] }))).KeyMetadata!;
    await kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'risk' }] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([
      { TagKey: 'team', TagValue: 'risk' },
      { TagKey: 'env', TagValue: 'prod' },
    ]);
    await kms.send(new UntagResourceCommand({ KeyId, TagKeys: ['team', 'absent'] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
  });

  it('refuses aws: keys, more than 50 tags and over-long keys or values', async () => {
    const { kms } = testEmulator();
    await expect(kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] }))).rejects.toMatchObject(awsError('TagException'));
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const many = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    await expect(kms.send(new TagResourceCommand({ KeyId, Tags: many }))).rejects.toMatchObject(awsError('TagException'));
    await expect(kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'k'.repeat(129), TagValue: 'v' }] }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'k', TagValue: 'v'.repeat(257) }] }))).rejects.toMatchObject(awsError('ValidationException'));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([]);
  });

  it('pages ListResourceTags', async () => {
    const { kms } = testEmulator();
    const Tags = Array.from({ length: 5 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    const { KeyId } = (await kms.send(new CreateKeyCommand({ Tags }))).KeyMetadata!;
    const p1 = await kms.send(new ListResourceTagsCommand({ KeyId, Limit: 3 }));
    const p2 = await kms.send(new ListResourceTagsCommand({ KeyId, Limit: 3, Marker: p1.NextMarker }));
    expect([...p1.Tags!, ...p2.Tags!]).toEqual(Tags);
    expect(p1.Truncated).toBe(true);
    expect(p2.Truncated).toBe(false);
  });

  it('refuses tag changes on a key pending deletion', async () => {
    const { kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await expect(kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
  });
});
