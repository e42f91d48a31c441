import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  type AlgorithmSpec,
  type CreateKeyCommandInput,
  type ImportKeyMaterialCommandInput,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from './index';
import type { KeyRecord } from './store';
import { awsError, bytes, DAY, testEmulator, text } from './test-support';

/** RFC 5649's initial value, as `openssl enc -id-aes256-wrap-pad -iv A65959A6` uses it (importing-keys-encrypt-key-material.html). */
const KEY_WRAP_PAD_IV = Buffer.from('A65959A6', 'hex');

/** Wraps key material outside the emulator, as a customer's HSM or OpenSSL would, with the public key KMS returned. */
function wrap(publicKey: Uint8Array, algorithm: AlgorithmSpec, material: Buffer): Buffer {
  const key = crypto.createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Buffer) => crypto.publicEncrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  const aesKey = crypto.randomBytes(32);
  const cipher = crypto.createCipheriv('id-aes256-wrap-pad', aesKey, KEY_WRAP_PAD_IV);
  return Buffer.concat([oaep(aesKey), cipher.update(material), cipher.final()]);
}

async function externalKey(kms: KMSClient, input: CreateKeyCommandInput = {}) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', ...input }));
  return KeyMetadata!;
}

async function parameters(kms: KMSClient, KeyId: string, WrappingAlgorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256', WrappingKeySpec: WrappingKeySpec = 'RSA_2048') {
  return kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm, WrappingKeySpec }));
}

/** GetParametersForImport, wrap, ImportKeyMaterial: the whole BYOK round. */
async function importMaterial(
  kms: KMSClient,
  KeyId: string,
  material: Buffer,
  { algorithm = 'RSAES_OAEP_SHA_256' as AlgorithmSpec, ...rest }: Partial<ImportKeyMaterialCommandInput> & { algorithm?: AlgorithmSpec } = {},
) {
  const { ImportToken, PublicKey } = await parameters(kms, KeyId, algorithm);
  return kms.send(
    new ImportKeyMaterialCommand({
      KeyId,
      ImportToken,
      EncryptedKeyMaterial: wrap(PublicKey!, algorithm, material),
      ExpirationModel: rest.ValidTo ? undefined : 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ...rest,
    }),
  );
}

const state = async (kms: KMSClient, KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;

describe('CreateKey with Origin EXTERNAL', () => {
  it('makes a key without material, in PendingImport, that cryptographic operations refuse', async () => {
    const { kms } = testEmulator();
    const key = await externalKey(kms, { Description: 'byok' });
    expect(key).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false, KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(key.CurrentKeyMaterialId).toBeUndefined();
    expect(key.ExpirationModel).toBeUndefined();
    await expect(kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await expect(kms.send(new EnableKeyCommand({ KeyId: key.KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
  });

  it('takes metadata changes and deletion while pending import (key-state.html)', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    await kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'team', TagValue: 'payments' }] }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId }));
    // Without material it cannot become Disabled (which EnableKey could undo): it waits for import again.
    expect((await state(kms, KeyId!)).KeyState).toBe('PendingImport');
  });

  it('accepts HMAC and asymmetric key specs too', async () => {
    const { kms } = testEmulator();
    expect(await externalKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).toMatchObject({ KeyState: 'PendingImport', KeySpec: 'HMAC_256' });
    expect(await externalKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).toMatchObject({ KeyState: 'PendingImport', Origin: 'EXTERNAL' });
  });
});

describe('GetParametersForImport', () => {
  it('returns the key ARN, an RSA public wrapping key (DER SubjectPublicKeyInfo) and a token valid for 24 hours', async () => {
    const { kms, now } = testEmulator();
    const { KeyId, Arn } = await externalKey(kms);
    const out = await parameters(kms, KeyId!, 'RSAES_OAEP_SHA_256', 'RSA_3072');
    expect(out.KeyId).toBe(Arn);
    expect(out.ImportToken!.length).toBeGreaterThan(0);
    expect(out.ParametersValidTo).toEqual(new Date(now().getTime() + DAY));
    const publicKey = crypto.createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('is refused for a key with Origin AWS_KMS, and for the retired RSAES_PKCS1_V1_5 algorithm', async () => {
    const { kms } = testEmulator();
    const generated = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expect(parameters(kms, generated)).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    const { KeyId } = await externalKey(kms);
    await expect(parameters(kms, KeyId!, 'RSAES_PKCS1_V1_5')).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    await expect(parameters(kms, KeyId!, 'RSAES_OAEP_SHA_256', 'SM2')).rejects.toMatchObject(awsError('UnsupportedOperationException'));
  });
});

describe('ImportKeyMaterial', () => {
  it.each(['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'] as const)(
    'imports 256-bit material wrapped outside with %s; the key is Enabled and encrypts and decrypts',
    async (algorithm) => {
      const { kms } = testEmulator();
      const { KeyId, Arn } = await externalKey(kms);
      const out = await importMaterial(kms, KeyId!, crypto.randomBytes(32), { algorithm });
      expect(out.KeyId).toBe(Arn);
      expect(out.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      const key = await state(kms, KeyId!);
      expect(key).toMatchObject({ KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: out.KeyMaterialId });
      expect(key.ValidTo).toBeUndefined();
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('bring your own key') }));
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob }));
      expect(text(decrypted.Plaintext)).toBe('bring your own key');
      expect(decrypted.KeyMaterialId).toBe(out.KeyMaterialId);
    },
  );

  it.each(['RSA_3072', 'RSA_4096'] as const)('wraps under a %s wrapping key end to end: the public key has that size and the material imports', async (WrappingKeySpec) => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const { ImportToken, PublicKey } = await parameters(kms, KeyId!, 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec);
    const size = Number(WrappingKeySpec.slice(4));
    expect(crypto.createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(size);
    const material = crypto.randomBytes(32);
    await kms.send(
      new ImportKeyMaterialCommand({ KeyId, ImportToken, EncryptedKeyMaterial: wrap(PublicKey!, 'RSA_AES_KEY_WRAP_SHA_256', material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
    );
    expect((await state(kms, KeyId!)).KeyState).toBe('Enabled');
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('wrapped under RSA ' + size) }));
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('wrapped under RSA ' + size);
  });

  it('uses the imported bytes themselves: GenerateMac of an imported HMAC_256 key equals HMAC-SHA256 computed outside', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const material = crypto.randomBytes(32);
    const out = await importMaterial(kms, KeyId!, material);
    expect(out.KeyMaterialId).toBeUndefined(); // key material ids belong to symmetric encryption keys
    const message = bytes('the message');
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Buffer.from(Mac!).toString('hex')).toBe(crypto.createHmac('sha256', material).update(message).digest('hex'));
  });

  it('imports an ECC private key (PKCS #8): GetPublicKey returns its public key and its signatures verify outside', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await importMaterial(kms, KeyId!, privateKey.export({ format: 'der', type: 'pkcs8' }), { algorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
    expect(Buffer.from(PublicKey!).equals(publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
    const { Signature } = await kms.send(new SignCommand({ KeyId, Message: bytes('signed'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(crypto.verify('sha256', bytes('signed'), publicKey, Signature!)).toBe(true);
  });

  it('refuses material that does not fit the key spec with IncorrectKeyMaterialException', async () => {
    const { kms } = testEmulator();
    const symmetric = await externalKey(kms);
    await expect(importMaterial(kms, symmetric.KeyId!, crypto.randomBytes(16))).rejects.toMatchObject(awsError('IncorrectKeyMaterialException'));
    const hmac = await externalKey(kms, { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await expect(importMaterial(kms, hmac.KeyId!, crypto.randomBytes(32))).rejects.toMatchObject(awsError('IncorrectKeyMaterialException'));
    const ecc = await externalKey(kms, { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    await expect(importMaterial(kms, ecc.KeyId!, p256)).rejects.toMatchObject(awsError('IncorrectKeyMaterialException'));
    expect((await state(kms, symmetric.KeyId!)).KeyState).toBe('PendingImport');
  });

  it('refuses material wrapped under another public key with InvalidCiphertextException', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const { ImportToken } = await parameters(kms, KeyId!);
    const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' });
    const EncryptedKeyMaterial = wrap(stranger, 'RSAES_OAEP_SHA_256', crypto.randomBytes(32));
    await expect(kms.send(new ImportKeyMaterialCommand({ KeyId, ImportToken, EncryptedKeyMaterial, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }))).rejects.toMatchObject(
      awsError('InvalidCiphertextException'),
    );
  });

  it('refuses a wrong, superseded, used or foreign import token with InvalidImportTokenException', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const other = await externalKey(kms);
    const material = crypto.randomBytes(32);
    const send = (ImportToken: Uint8Array, PublicKey: Uint8Array, target = KeyId) =>
      kms.send(new ImportKeyMaterialCommand({ KeyId: target, ImportToken, EncryptedKeyMaterial: wrap(PublicKey, 'RSAES_OAEP_SHA_256', material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
    const first = await parameters(kms, KeyId!);
    await expect(send(crypto.randomBytes(64), first.PublicKey!)).rejects.toMatchObject(awsError('InvalidImportTokenException'));
    const theirs = await parameters(kms, other.KeyId!);
    await expect(send(theirs.ImportToken!, theirs.PublicKey!)).rejects.toMatchObject(awsError('InvalidImportTokenException'));
    const second = await parameters(kms, KeyId!);
    await expect(send(first.ImportToken!, first.PublicKey!)).rejects.toMatchObject(awsError('InvalidImportTokenException'));
    await send(second.ImportToken!, second.PublicKey!);
    await expect(send(second.ImportToken!, second.PublicKey!)).rejects.toMatchObject(awsError('InvalidImportTokenException'));
  });

  it('refuses a token older than 24 hours with ExpiredImportTokenException', async () => {
    const { kms, advance } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const { ImportToken, PublicKey } = await parameters(kms, KeyId!);
    advance(DAY + 1000);
    const EncryptedKeyMaterial = wrap(PublicKey!, 'RSAES_OAEP_SHA_256', crypto.randomBytes(32));
    await expect(kms.send(new ImportKeyMaterialCommand({ KeyId, ImportToken, EncryptedKeyMaterial, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }))).rejects.toMatchObject(
      awsError('ExpiredImportTokenException'),
    );
  });

  it('checks ExpirationModel and ValidTo: ValidTo required for KEY_MATERIAL_EXPIRES (the default), refused otherwise, future and at most 365 days ahead', async () => {
    const { kms, now } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const { ImportToken, PublicKey } = await parameters(kms, KeyId!);
    const EncryptedKeyMaterial = wrap(PublicKey!, 'RSAES_OAEP_SHA_256', crypto.randomBytes(32));
    const attempt = (extra: Partial<ImportKeyMaterialCommandInput>) => kms.send(new ImportKeyMaterialCommand({ KeyId, ImportToken, EncryptedKeyMaterial, ...extra }));
    const at = (days: number) => new Date(now().getTime() + days * DAY);
    await expect(attempt({})).rejects.toMatchObject(awsError('ValidationException'));
    await expect(attempt({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: at(10) })).rejects.toMatchObject(awsError('ValidationException'));
    await expect(attempt({ ValidTo: at(-1) })).rejects.toMatchObject(awsError('ValidationException'));
    await expect(attempt({ ValidTo: at(366) })).rejects.toMatchObject(awsError('ValidationException'));
    await expect(attempt({ ValidTo: at(365) })).resolves.toMatchObject({ KeyId: expect.any(String) });
  });
});

describe('expiry and deletion of imported material', () => {
  it('expires the material when the clock passes ValidTo; the key is PendingImport until the same material comes back', async () => {
    const { kms, now, advance } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const material = crypto.randomBytes(32);
    const validTo = new Date(now().getTime() + 10 * DAY);
    const { KeyMaterialId } = await importMaterial(kms, KeyId!, material, { ValidTo: validTo });
    expect(await state(kms, KeyId!)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo });
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('before expiry') }));
    advance(10 * DAY - 1000);
    expect((await state(kms, KeyId!)).KeyState).toBe('Enabled');
    advance(1000);
    expect((await state(kms, KeyId!)).KeyState).toBe('PendingImport');
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
    expect(Rotations).toEqual([expect.objectContaining({ KeyMaterialId, ImportState: 'PENDING_IMPORT', KeyMaterialState: 'CURRENT' })]);
    expect((await importMaterial(kms, KeyId!, material)).KeyMaterialId).toBe(KeyMaterialId);
    expect(await state(kms, KeyId!)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('before expiry');
  });

  it('DeleteImportedKeyMaterial makes the key PendingImport; the same material reimported decrypts old ciphertexts, other material is refused', async () => {
    const { kms } = testEmulator();
    const { KeyId, Arn } = await externalKey(kms);
    const material = crypto.randomBytes(32);
    const { KeyMaterialId } = await importMaterial(kms, KeyId!, material);
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('kept outside') }));
    expect(await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId }))).toMatchObject({ KeyId: Arn, KeyMaterialId });
    expect((await state(kms, KeyId!)).KeyState).toBe('PendingImport');
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await expect(importMaterial(kms, KeyId!, crypto.randomBytes(32))).rejects.toMatchObject(awsError('IncorrectKeyMaterialException'));
    await expect(importMaterial(kms, KeyId!, material, { KeyMaterialId: 'ab'.repeat(32) })).rejects.toMatchObject(awsError('IncorrectKeyMaterialException'));
    expect((await importMaterial(kms, KeyId!, material, { KeyMaterialId })).KeyMaterialId).toBe(KeyMaterialId);
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('kept outside');
  });

  it('gives the same material different key material ids in different keys, whose ciphertexts stay apart', async () => {
    const { kms } = testEmulator();
    const material = crypto.randomBytes(32);
    const a = (await externalKey(kms)).KeyId!;
    const b = (await externalKey(kms)).KeyId!;
    const idA = (await importMaterial(kms, a, material)).KeyMaterialId;
    const idB = (await importMaterial(kms, b, material)).KeyMaterialId;
    expect(idA).not.toBe(idB);
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: a, Plaintext: bytes('for a') }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: b }))).rejects.toMatchObject(awsError('IncorrectKeyException'));
  });

  it('leaves a key pending deletion in PendingDeletion, and refuses imports into it', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    await importMaterial(kms, KeyId!, crypto.randomBytes(32));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId }));
    expect((await state(kms, KeyId!)).KeyState).toBe('PendingDeletion');
    await expect(parameters(kms, KeyId!)).rejects.toMatchObject(awsError('KMSInvalidStateException'));
  });
});

describe('rotation of imported keys', () => {
  it('refuses automatic rotation with UnsupportedOperationException', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    await importMaterial(kms, KeyId!, crypto.randomBytes(32));
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
  });

  it('rotates on demand to material imported as NEW_KEY_MATERIAL (PENDING_ROTATION first); old ciphertexts still decrypt', async () => {
    const { kms, now } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const first = (await importMaterial(kms, KeyId!, crypto.randomBytes(32), { KeyMaterialDescription: 'v1' })).KeyMaterialId;
    await expect(kms.send(new RotateKeyOnDemandCommand({ KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    const old = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('under v1') }));
    const second = (await importMaterial(kms, KeyId!, crypto.randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'v2' })).KeyMaterialId;
    expect(second).not.toBe(first);
    expect((await state(kms, KeyId!)).CurrentKeyMaterialId).toBe(first);
    const listed = (await kms.send(new ListKeyRotationsCommand({ KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }))).Rotations;
    expect(listed).toEqual([
      expect.objectContaining({ KeyMaterialId: first, KeyMaterialState: 'CURRENT', ImportState: 'IMPORTED', KeyMaterialDescription: 'v1' }),
      expect.objectContaining({ KeyMaterialId: second, KeyMaterialState: 'PENDING_ROTATION', ImportState: 'IMPORTED', KeyMaterialDescription: 'v2' }),
    ]);
    expect(listed![1].RotationDate).toBeUndefined();
    await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    expect((await state(kms, KeyId!)).CurrentKeyMaterialId).toBe(second);
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId }))).Rotations).toEqual([
      expect.objectContaining({ KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationType: 'ON_DEMAND', RotationDate: now() }),
    ]);
    const fresh = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('under v2') }));
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }))).KeyMaterialId).toBe(second);
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext)).toBe('under v1');
  });

  it('refuses NEW_KEY_MATERIAL that the key already has, and NEW_KEY_MATERIAL for HMAC keys', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const material = crypto.randomBytes(32);
    await importMaterial(kms, KeyId!, material);
    await expect(importMaterial(kms, KeyId!, material, { ImportType: 'NEW_KEY_MATERIAL' })).rejects.toMatchObject(awsError('IncorrectKeyMaterialException'));
    const hmac = await externalKey(kms, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    await expect(importMaterial(kms, hmac.KeyId!, crypto.randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' })).rejects.toMatchObject(awsError('ValidationException'));
  });

  it('deleting non-current material makes the key PendingImport; deleting material pending rotation does not', async () => {
    const { kms } = testEmulator();
    const { KeyId } = await externalKey(kms);
    const v1 = crypto.randomBytes(32);
    const first = (await importMaterial(kms, KeyId!, v1)).KeyMaterialId!;
    const pending = (await importMaterial(kms, KeyId!, crypto.randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' })).KeyMaterialId!;
    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId, KeyMaterialId: pending }));
    expect((await state(kms, KeyId!)).KeyState).toBe('Enabled');
    await expect(kms.send(new RotateKeyOnDemandCommand({ KeyId }))).rejects.toMatchObject(awsError('KMSInvalidStateException'));
    await importMaterial(kms, KeyId!, crypto.randomBytes(32), { ImportType: 'NEW_KEY_MATERIAL' });
    await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId, KeyMaterialId: first }));
    expect((await state(kms, KeyId!)).KeyState).toBe('PendingImport');
    await importMaterial(kms, KeyId!, v1);
    expect((await state(kms, KeyId!)).KeyState).toBe('Enabled');
  });
});

describe('persistence of imported keys', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Every file of the data dir but the root key, as one string. */
  const dataFiles = (dir: string) =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'root.key')
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
      .join('\n');

  /** The bytes written in any way JSON could carry them: base64, hex, or a serialized Buffer's byte array. */
  const expectAbsent = (files: string, secret: Buffer) => {
    expect(files).not.toContain(secret.toString('base64').slice(4, 40));
    expect(files).not.toContain(secret.toString('hex').slice(8, 72));
    expect(files).not.toContain(`[${[...secret.subarray(0, 16)].join(',')}`);
    expect(files).not.toContain('"type":"Buffer"');
  };

  it('keeps the open wrapping key and the imported material across restarts, sealed: neither is ever in the files in the clear', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-import-'));
    dirs.push(dataDir);
    const first = createEmulator({ dataDir });
    const kms = first.kmsClient();
    const { KeyId } = await externalKey(kms);
    const { ImportToken, PublicKey } = await parameters(kms, KeyId!, 'RSA_AES_KEY_WRAP_SHA_256');
    const record = first.snapshot().find((c) => c.t === 'key' && c.id === KeyId)!.value as KeyRecord;
    const wrappingPrivateKey = record.imported!.pending!.wrappingPrivateKey;
    expect(wrappingPrivateKey.length).toBeGreaterThan(1000);
    await first.close();
    expectAbsent(dataFiles(dataDir), wrappingPrivateKey);

    const second = createEmulator({ dataDir });
    const material = crypto.randomBytes(32);
    await second.kmsClient().send(
      new ImportKeyMaterialCommand({ KeyId, ImportToken, EncryptedKeyMaterial: wrap(PublicKey!, 'RSA_AES_KEY_WRAP_SHA_256', material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
    );
    const { CiphertextBlob } = await second.kmsClient().send(new EncryptCommand({ KeyId, Plaintext: bytes('survives') }));
    await second.close();
    const files = dataFiles(dataDir);
    expectAbsent(files, wrappingPrivateKey);
    expectAbsent(files, material);

    const third = createEmulator({ dataDir });
    expect(await state(third.kmsClient(), KeyId!)).toMatchObject({ KeyState: 'Enabled', Origin: 'EXTERNAL' });
    expect(text((await third.kmsClient().send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('survives');
    await third.close();
    expectAbsent(dataFiles(dataDir), material);
  });
});
