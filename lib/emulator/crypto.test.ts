import crypto from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, testEmulator, text } from './test-support';

async function symmetricKey() {
  const t = testEmulator();
  const { KeyMetadata } = await t.kms.send(new CreateKeyCommand({}));
  return { ...t, keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
}

describe('Encrypt and Decrypt (symmetric)', () => {
  it('round-trips a plaintext with its encryption context, without naming the key on Decrypt', async () => {
    const { kms, keyId, arn } = await symmetricKey();
    const context = { purpose: 'test', tenant: 'a' };
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('secret'), EncryptionContext: context }));
    expect(enc).toMatchObject({ KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'a', purpose: 'test' } }));
    expect(text(dec.Plaintext)).toBe('secret');
    expect(dec).toMatchObject({ KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a missing, extra or different encryption context fails with InvalidCiphertextException', async () => {
    const { kms, keyId } = await symmetricKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x'), EncryptionContext: { a: '1' } }));
    const contexts: (Record<string, string> | undefined)[] = [undefined, { a: '2' }, { a: '1', b: '2' }, { A: '1' }];
    for (const EncryptionContext of contexts) {
      await expect(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
    }
  });

  it('a tampered ciphertext fails with InvalidCiphertextException, at any byte', async () => {
    const { kms, keyId } = await symmetricKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('hello world') }));
    for (const at of [20, 60, CiphertextBlob!.length - 1]) {
      const bad = Uint8Array.from(CiphertextBlob!);
      bad[at] ^= 1;
      await expect(kms.send(new DecryptCommand({ CiphertextBlob: bad }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
    }
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: bytes('not a ciphertext at all, really') }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
  });

  it('Decrypt with a different KeyId fails with IncorrectKeyException', async () => {
    const { kms, keyId } = await symmetricKey();
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: other }))).rejects.toMatchObject(awsError('IncorrectKeyException'));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: keyId }))).resolves.toMatchObject({ Plaintext: bytes('x') });
  });

  it('a ciphertext from eu-west-2 is unknown in us-east-1', async () => {
    const { emulator } = testEmulator();
    const london = emulator.kmsClient({ region: 'eu-west-2' });
    const { KeyMetadata } = await london.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await london.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: bytes('x') }));
    await expect(emulator.kmsClient({ region: 'us-east-1' }).send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
    await expect(london.send(new DecryptCommand({ CiphertextBlob }))).resolves.toMatchObject({ Plaintext: bytes('x') });
  });

  it('enforces the 4096-byte plaintext limit with the AWS validation message', async () => {
    const { kms, keyId } = await symmetricKey();
    await expect(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(4096) }))).resolves.toBeDefined();
    await expect(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: new Uint8Array(4097) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    });
  });

  it('refuses keys that are disabled (DisabledException) or pending deletion (KMSInvalidStateException), for Decrypt too', async () => {
    const { kms, keyId } = await symmetricKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('DisabledException'));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
  });

  it('refuses a signing key with InvalidKeyUsageException', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    await expect(kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
  });

  it('DryRun checks the request and answers DryRunOperationException', async () => {
    const { kms, keyId } = await symmetricKey();
    await expect(kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('x'), DryRun: true }))).rejects.toMatchObject(awsError('DryRunOperationException'));
  });
});

describe('RSA encryption', () => {
  it.each(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const)('decrypts a %s ciphertext made outside KMS with the public key', async (EncryptionAlgorithm) => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }));
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    const publicKey = crypto.createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    const outside = crypto.publicEncrypt({ key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: EncryptionAlgorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256' }, bytes('made outside'));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: outside, KeyId: KeyMetadata!.KeyId, EncryptionAlgorithm }));
    expect(text(dec.Plaintext)).toBe('made outside');
    const enc = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: bytes('inside'), EncryptionAlgorithm }));
    expect(enc.CiphertextBlob).toHaveLength(256);
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: KeyMetadata!.Arn, EncryptionAlgorithm }))).Plaintext)).toBe('inside');
  });

  it('needs the right algorithm and rejects an over-long plaintext', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }));
    const KeyId = KeyMetadata!.KeyId;
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: new Uint8Array(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }))).rejects.toMatchObject(awsError('ValidationException'));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob, KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
  });
});

describe('ReEncrypt', () => {
  it('moves a ciphertext to another key and context without exposing the plaintext', async () => {
    const { kms, keyId, arn } = await symmetricKey();
    const { KeyMetadata: dest } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('move me'), EncryptionContext: { a: '1' } }));
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: { a: '1' }, DestinationKeyId: dest!.KeyId, DestinationEncryptionContext: { b: '2' } }));
    expect(re).toMatchObject({ SourceKeyId: arn, KeyId: dest!.Arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(re).not.toHaveProperty('Plaintext');
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { b: '2' } }))).Plaintext)).toBe('move me');
  });

  it('re-encrypts into an RSA key, and fails on a wrong source context', async () => {
    const { kms, keyId } = await symmetricKey();
    const { KeyMetadata: rsa } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' }));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes('to rsa') }));
    const re = await kms.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: rsa!.KeyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, KeyId: rsa!.KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    expect(text(dec.Plaintext)).toBe('to rsa');
    await expect(kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: { x: 'y' }, DestinationKeyId: keyId }))).rejects.toMatchObject(awsError('InvalidCiphertextException'));
  });
});

describe('data keys and random bytes', () => {
  it('GenerateDataKey returns a plaintext key and its ciphertext (AES_256, AES_128 or NumberOfBytes)', async () => {
    const { kms, keyId, arn } = await symmetricKey();
    const aes256 = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { f: 'x' } }));
    expect(aes256.Plaintext).toHaveLength(32);
    expect(aes256.KeyId).toBe(arn);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: aes256.CiphertextBlob, EncryptionContext: { f: 'x' } }));
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(aes256.Plaintext!))).toBe(true);
    expect((await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_128' }))).Plaintext).toHaveLength(16);
    expect((await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 1024 }))).Plaintext).toHaveLength(1024);
  });

  it('GenerateDataKey takes exactly one of KeySpec and NumberOfBytes, 1–1024 bytes', async () => {
    const { kms, keyId } = await symmetricKey();
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: keyId }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 1025 }))).rejects.toMatchObject(awsError('ValidationException'));
  });

  it('GenerateDataKeyWithoutPlaintext returns only the ciphertext, which decrypts to a key of the asked size', async () => {
    const { kms, keyId } = await symmetricKey();
    const out = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    expect(out).not.toHaveProperty('Plaintext');
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }))).Plaintext).toHaveLength(32);
  });

  it('GenerateDataKey refuses an asymmetric key with InvalidKeyUsageException', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }));
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata!.KeyId, KeySpec: 'AES_256' }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
  });

  it('GenerateRandom returns 1–1024 random bytes', async () => {
    const { kms } = testEmulator();
    const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    expect(a.Plaintext).toHaveLength(64);
    expect(Buffer.from(a.Plaintext!).equals(Buffer.from(b.Plaintext!))).toBe(false);
    await expect(kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 }))).rejects.toMatchObject(awsError('ValidationException'));
  });
});
