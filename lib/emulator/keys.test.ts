import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ListKeysCommand,
  paginateListKeys,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, DAY, testEmulator } from './test-support';

describe('CreateKey and DescribeKey', () => {
  const cases: [KeySpec, KeyUsageType, Record<string, string[]>][] = [
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] }],
    ['RSA_2048', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    ['RSA_3072', 'SIGN_VERIFY', { SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'] }],
    ['RSA_4096', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    ['ECC_NIST_P256', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
    ['ECC_NIST_P384', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
    ['ECC_NIST_P521', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_512'] }],
    ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
    ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }],
    ['HMAC_224', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_224'] }],
    ['HMAC_512', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_512'] }],
    ['ML_DSA_44', 'SIGN_VERIFY', { SigningAlgorithms: ['ML_DSA_SHAKE_256'] }],
    ['ML_DSA_65', 'SIGN_VERIFY', { SigningAlgorithms: ['ML_DSA_SHAKE_256'] }],
    ['ML_DSA_87', 'SIGN_VERIFY', { SigningAlgorithms: ['ML_DSA_SHAKE_256'] }],
  ];
  it.each(cases)('creates a %s key for %s with the full metadata AWS returns', async (KeySpec, KeyUsage, algorithms) => {
    const { kms, now } = testEmulator();
    const { KeyMetadata: created } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage, Description: 'd' }));
    const { KeyMetadata: m } = await kms.send(new DescribeKeyCommand({ KeyId: created!.KeyId }));
    expect(m).toEqual({
      AWSAccountId: '111122223333',
      KeyId: created!.KeyId,
      Arn: `arn:aws:kms:us-east-1:111122223333:key/${created!.KeyId}`,
      CreationDate: now(),
      Enabled: true,
      Description: 'd',
      KeyUsage,
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: KeySpec,
      KeySpec,
      MultiRegion: false,
      ...algorithms,
      ...(KeySpec === 'SYMMETRIC_DEFAULT' ? { CurrentKeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/) } : {}),
    });
  });

  it('defaults to a symmetric encryption key', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    expect(KeyMetadata).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: '' });
  });

  it('refuses a key usage the key spec does not allow with ValidationException', async () => {
    const { kms } = testEmulator();
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'KEY_AGREEMENT' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'SIGN_VERIFY' }))).rejects.toMatchObject(awsError('ValidationException'));
  });

  it('refuses KeySpec together with CustomerMasterKeySpec, and an unknown KeySpec', async () => {
    const { kms } = testEmulator();
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_1024' as KeySpec }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("Value 'RSA_1024' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set"),
    });
  });

  it('refuses SM2 outside the China regions', async () => {
    const { kms } = testEmulator();
    await expect(kms.send(new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
  });

  it('refuses a description over 8192 characters in AWS wording', async () => {
    const { kms } = testEmulator();
    await expect(kms.send(new CreateKeyCommand({ Description: 'x'.repeat(8193) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^1 validation error detected: Value '.*' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192$/),
    });
  });

  it('finds a key by id, key ARN, alias name and alias ARN', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CreateAliasCommand } = await import('@aws-sdk/client-kms');
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: KeyMetadata!.KeyId }));
    for (const ref of [KeyMetadata!.KeyId, KeyMetadata!.Arn, 'alias/app', 'arn:aws:kms:us-east-1:111122223333:alias/app']) {
      const { KeyMetadata: found } = await kms.send(new DescribeKeyCommand({ KeyId: ref }));
      expect(found!.KeyId).toBe(KeyMetadata!.KeyId);
    }
  });

  it('answers NotFoundException for unknown ids, aliases and another region’s ARN, InvalidArnException for a bad ARN', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/missing' }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.Arn!.replace('us-east-1', 'eu-west-2') }))).rejects.toMatchObject(awsError('NotFoundException'));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:nowhere' }))).rejects.toMatchObject(awsError('InvalidArnException'));
  });

  it('keeps regions apart: a key of eu-west-2 is not listed in us-east-1', async () => {
    const { emulator } = testEmulator();
    const london = emulator.kmsClient({ region: 'eu-west-2' });
    const virginia = emulator.kmsClient({ region: 'us-east-1' });
    const { KeyMetadata } = await london.send(new CreateKeyCommand({}));
    expect(KeyMetadata!.Arn).toContain(':eu-west-2:');
    expect((await virginia.send(new ListKeysCommand({}))).Keys).toEqual([]);
    await expect(virginia.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }))).rejects.toMatchObject(awsError('NotFoundException'));
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const { emulator } = testEmulator();
    const stranger = emulator.kmsClient({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' });
    await expect(stranger.send(new ListKeysCommand({}))).rejects.toMatchObject(awsError('UnrecognizedClientException'));
  });
});

describe('ListKeys', () => {
  it('pages with Limit, Marker, Truncated and NextMarker and returns every key once', async () => {
    const { kms } = testEmulator();
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId);
    const first = await kms.send(new ListKeysCommand({ Limit: 3 }));
    expect(first.Keys).toHaveLength(3);
    expect(first.Truncated).toBe(true);
    const seen: string[] = [];
    for await (const page of paginateListKeys({ client: kms, pageSize: 2 }, {})) seen.push(...page.Keys!.map((k) => k.KeyId!));
    expect(seen).toEqual(ids);
    const last = await kms.send(new ListKeysCommand({ Limit: 1000 }));
    expect(last).toMatchObject({ Truncated: false });
    expect(last.NextMarker).toBeUndefined();
  });

  it('refuses a Limit outside 1–1000 and a forged marker', async () => {
    const { kms } = testEmulator();
    await expect(kms.send(new ListKeysCommand({ Limit: 0 }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new ListKeysCommand({ Limit: 1001 }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new ListKeysCommand({ Marker: 'garbage' }))).rejects.toMatchObject(awsError('InvalidMarkerException'));
  });

  it('does not skip keys when a key of an earlier page is deleted between pages', async () => {
    const { kms, advance } = testEmulator();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const first = await kms.send(new ListKeysCommand({ Limit: 2 }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: ids[0], PendingWindowInDays: 7 }));
    advance(8 * DAY);
    const second = await kms.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
    expect(second.Keys!.map((k) => k.KeyId)).toEqual(ids.slice(2));
  });
});

describe('lifecycle', () => {
  it('disables and enables a key; a disabled key refuses Encrypt with DisabledException', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const KeyId = KeyMetadata!.KeyId;
    await kms.send(new DisableKeyCommand({ KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('DisabledException'));
    await kms.send(new EnableKeyCommand({ KeyId }));
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
  });

  it('updates the description', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'old' }));
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: KeyMetadata!.KeyId, Description: 'new' }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }))).KeyMetadata!.Description).toBe('new');
  });

  it('schedules deletion (default 30 days), blocks use and changes, and deletes the key when the clock passes DeletionDate', async () => {
    const { kms, advance, now } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const KeyId = KeyMetadata!.KeyId!;
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId }));
    expect(scheduled).toMatchObject({ KeyId: KeyMetadata!.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 30, DeletionDate: new Date(now().getTime() + 30 * DAY) });
    const pending = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
    expect(pending).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date(now().getTime() + 30 * DAY) });
    // PendingDeletionWindowInDays is present only when KeyState is PendingReplicaDeletion (API_KeyMetadata.html).
    expect(pending.PendingDeletionWindowInDays).toBeUndefined();
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await expect(kms.send(new EnableKeyCommand({ KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    advance(30 * DAY - 1);
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.KeyState).toBe('PendingDeletion');
    advance(1);
    await expect(kms.send(new DescribeKeyCommand({ KeyId }))).rejects.toMatchObject(awsError('NotFoundException'));
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });

  it('takes a waiting period of 7 to 30 days only', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    for (const days of [6, 31, 0]) {
      await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: days }))).rejects.toMatchObject(awsError('ValidationException'));
    }
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: 7 }))).resolves.toMatchObject({ PendingWindowInDays: 7 });
  });

  it('cancels deletion into the Disabled state; cancelling a key not pending deletion is KMSInvalidStateException', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const KeyId = KeyMetadata!.KeyId!;
    await expect(kms.send(new CancelKeyDeletionCommand({ KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    expect(await kms.send(new CancelKeyDeletionCommand({ KeyId }))).toMatchObject({ KeyId: KeyMetadata!.Arn });
    const { KeyMetadata: after } = await kms.send(new DescribeKeyCommand({ KeyId }));
    expect(after).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect(after!.DeletionDate).toBeUndefined();
  });

  it('reports the last cryptographic use with GetKeyLastUsage', async () => {
    const { kms, advance, now } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const KeyId = KeyMetadata!.KeyId!;
    const before = await kms.send(new GetKeyLastUsageCommand({ KeyId }));
    expect(before.KeyLastUsage).toBeUndefined();
    expect(before.TrackingStartDate).toEqual(KeyMetadata!.CreationDate);
    advance(DAY);
    await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    const after = await kms.send(new GetKeyLastUsageCommand({ KeyId }));
    expect(after.KeyLastUsage).toMatchObject({ Operation: 'Encrypt', Timestamp: now() });
  });
});
