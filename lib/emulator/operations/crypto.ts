/** The encryption data plane: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom. */
import crypto from 'node:crypto';
import type {
  DecryptRequest,
  DecryptResponse,
  EncryptionAlgorithmSpec,
  EncryptRequest,
  EncryptResponse,
  GenerateDataKeyRequest,
  GenerateDataKeyResponse,
  GenerateDataKeyWithoutPlaintextRequest,
  GenerateDataKeyWithoutPlaintextResponse,
  GenerateRandomRequest,
  GenerateRandomResponse,
  ReEncryptRequest,
  ReEncryptResponse,
} from '@aws-sdk/client-kms';
import * as ciphertext from '../ciphertext';
import { IncorrectKeyException, InvalidCiphertextException, InvalidKeyUsageException, ValidationException, CustomKeyStoreNotFoundException } from '../errors';
import { rsaDecrypt, rsaEncrypt, rsaMaxPlaintext, type RsaEncryptionAlgorithm } from '../key-material';
import { algorithmsFor, ENCRYPTION_ALGORITHMS } from '../key-specs';
import type { KeyRecord } from '../store';
import { F } from '../validate';
import { currentMaterial, dryRun, operation, requireEnabled, requireUsage, resolveKey, type OperationContext, type ResolveOptions } from './context';

const encryptionAlgorithm = { kind: 'enum', values: ENCRYPTION_ALGORITHMS } as const;
type Context = Record<string, string> | undefined;
/** ReEncrypt authorizes kms:ReEncryptFrom and kms:ReEncryptTo, each under its own context. */
type Authorization = Pick<ResolveOptions, 'action' | 'encryptionContext'>;

function checkAlgorithm(key: KeyRecord, algorithm: EncryptionAlgorithmSpec): void {
  const supported = algorithmsFor(key.keySpec, key.keyUsage).EncryptionAlgorithms ?? [];
  if (!supported.includes(algorithm)) {
    throw new InvalidKeyUsageException(`${key.arn} does not support encryption algorithm ${algorithm}; it supports ${supported.join(', ')}.`);
  }
}

/** Resolves and checks the key an encryption uses (also the wrapping key of data keys). */
export function encryptionKey(ctx: OperationContext, ref: string, algorithm: EncryptionAlgorithmSpec, operationName: string, auth: Authorization = {}): KeyRecord {
  const key = resolveKey(ctx, ref, auth);
  requireEnabled(key);
  requireUsage(key, 'ENCRYPT_DECRYPT', operationName);
  checkAlgorithm(key, algorithm);
  return key;
}

/** Encrypts under `key`: our symmetric blob, or raw RSAES-OAEP output as AWS returns it. */
export function encryptWith(ctx: OperationContext, key: KeyRecord, algorithm: EncryptionAlgorithmSpec, plaintext: Buffer, context: Context) {
  if (algorithm === 'SYMMETRIC_DEFAULT') {
    const material = currentMaterial(key);
    return { blob: ciphertext.seal(key.keyId, material.id, ctx.load(key, material).secret!, plaintext, context), materialId: material.id };
  }
  if (context && Object.keys(context).length > 0) throw new ValidationException('EncryptionContext is not supported with asymmetric KMS keys.');
  const loaded = ctx.load(key);
  const max = rsaMaxPlaintext(loaded, algorithm as RsaEncryptionAlgorithm);
  if (plaintext.length > max) {
    throw new ValidationException(`Plaintext of ${plaintext.length} bytes is too long for ${key.keySpec} with ${algorithm}: the maximum is ${max} bytes.`);
  }
  return { blob: rsaEncrypt(loaded, algorithm as RsaEncryptionAlgorithm, plaintext), materialId: undefined };
}

/**
 * Decrypts a blob. Symmetric blobs name their key; RSA ciphertexts need KeyId and EncryptionAlgorithm.
 * Authentication failures, unknown blobs and keys of another region are InvalidCiphertextException.
 */
export function decryptBlob(
  ctx: OperationContext,
  blob: Buffer,
  keyRef: string | undefined,
  algorithm: EncryptionAlgorithmSpec | undefined,
  context: Context,
  operationName: string,
  auth: Authorization = {},
) {
  const named = keyRef === undefined ? undefined : resolveKey(ctx, keyRef, auth);
  if (named && named.keySpec !== 'SYMMETRIC_DEFAULT') {
    requireEnabled(named);
    requireUsage(named, 'ENCRYPT_DECRYPT', operationName);
    const alg = algorithm ?? 'SYMMETRIC_DEFAULT';
    checkAlgorithm(named, alg);
    const plaintext = rsaDecrypt(ctx.load(named), alg as RsaEncryptionAlgorithm, blob);
    if (!plaintext) throw new InvalidCiphertextException('The ciphertext could not be decrypted with this key and encryption algorithm.');
    return { key: named, plaintext, algorithm: alg, materialId: undefined };
  }
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new InvalidKeyUsageException(`Encryption algorithm ${algorithm} requires the KeyId of an asymmetric KMS key.`);
  }
  const parsed = ciphertext.parse(blob);
  if (!parsed) throw new InvalidCiphertextException('The ciphertext is not a valid KMS ciphertext blob.');
  if (named && parsed.keyId !== named.keyId) {
    throw new IncorrectKeyException('The key ID in the request does not identify a KMS key that can perform this operation.');
  }
  let key = named;
  if (!key) {
    const found = ctx.store.key(ctx.region, parsed.keyId);
    if (!found) throw new InvalidCiphertextException('The ciphertext refers to a KMS key that does not exist in this Region.');
    key = resolveKey(ctx, found.arn, auth);
  }
  ctx.subject = key.keyId;
  requireEnabled(key);
  requireUsage(key, 'ENCRYPT_DECRYPT', operationName);
  const material = key.materials.find((m) => m.id === parsed.materialId);
  const plaintext = material && ciphertext.open(parsed, ctx.load(key, material).secret!, context);
  if (!plaintext) throw new InvalidCiphertextException('The ciphertext is invalid, was tampered with, or was encrypted under a different encryption context.');
  return { key, plaintext, algorithm: 'SYMMETRIC_DEFAULT' as const, materialId: parsed.materialId };
}

export const Encrypt = operation<EncryptRequest, EncryptResponse>(
  { KeyId: F.keyId, Plaintext: F.plaintext, EncryptionContext: F.context, GrantTokens: F.grantTokens, EncryptionAlgorithm: encryptionAlgorithm, DryRun: F.dryRun },
  (ctx, input) => {
    const algorithm = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const key = encryptionKey(ctx, input.KeyId!, algorithm, 'Encrypt');
    dryRun(input);
    const { blob } = encryptWith(ctx, key, algorithm, input.Plaintext as Buffer, input.EncryptionContext);
    ctx.used(key, 'Encrypt');
    return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: algorithm };
  },
);

export const Decrypt = operation<DecryptRequest, DecryptResponse>(
  {
    CiphertextBlob: F.ciphertext,
    EncryptionContext: F.context,
    GrantTokens: F.grantTokens,
    KeyId: F.optionalKeyId,
    EncryptionAlgorithm: encryptionAlgorithm,
    Recipient: F.unsupported,
    DryRun: F.dryRun,
    DryRunModifiers: F.unsupported,
  },
  (ctx, input) => {
    if (input.Recipient) throw new ValidationException('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
    const result = decryptBlob(ctx, input.CiphertextBlob as Buffer, input.KeyId, input.EncryptionAlgorithm, input.EncryptionContext, 'Decrypt');
    dryRun(input);
    ctx.used(result.key, 'Decrypt');
    return { KeyId: result.key.arn, Plaintext: result.plaintext, EncryptionAlgorithm: result.algorithm, KeyMaterialId: result.materialId };
  },
);

export const ReEncrypt = operation<ReEncryptRequest, ReEncryptResponse>(
  {
    CiphertextBlob: F.ciphertext,
    SourceEncryptionContext: F.context,
    SourceKeyId: F.optionalKeyId,
    DestinationKeyId: F.keyId,
    DestinationEncryptionContext: F.context,
    SourceEncryptionAlgorithm: encryptionAlgorithm,
    DestinationEncryptionAlgorithm: encryptionAlgorithm,
    GrantTokens: F.grantTokens,
    DryRun: F.dryRun,
    DryRunModifiers: F.unsupported,
  },
  (ctx, input) => {
    const from = { action: 'kms:ReEncryptFrom', encryptionContext: input.SourceEncryptionContext };
    const source = decryptBlob(ctx, input.CiphertextBlob as Buffer, input.SourceKeyId, input.SourceEncryptionAlgorithm, input.SourceEncryptionContext, 'ReEncrypt', from);
    const algorithm = input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
    const to = { action: 'kms:ReEncryptTo', encryptionContext: input.DestinationEncryptionContext };
    const destination = encryptionKey(ctx, input.DestinationKeyId!, algorithm, 'ReEncrypt', to);
    dryRun(input);
    const { blob, materialId } = encryptWith(ctx, destination, algorithm, source.plaintext, input.DestinationEncryptionContext);
    ctx.used(source.key, 'ReEncrypt');
    ctx.used(destination, 'ReEncrypt');
    return {
      CiphertextBlob: blob,
      SourceKeyId: source.key.arn,
      KeyId: destination.arn,
      SourceEncryptionAlgorithm: source.algorithm,
      DestinationEncryptionAlgorithm: algorithm,
      SourceKeyMaterialId: source.materialId,
      DestinationKeyMaterialId: materialId,
    };
  },
);

function dataKeyLength(input: { KeySpec?: string; NumberOfBytes?: number }): number {
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) {
    throw new ValidationException('Please specify either number of bytes or key spec (but not both).');
  }
  return input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
}

function generateDataKey(ctx: OperationContext, input: GenerateDataKeyWithoutPlaintextRequest, operationName: 'GenerateDataKey' | 'GenerateDataKeyWithoutPlaintext') {
  const length = dataKeyLength(input);
  const key = encryptionKey(ctx, input.KeyId!, 'SYMMETRIC_DEFAULT', operationName);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new InvalidKeyUsageException(`${key.arn} is not a symmetric encryption KMS key; ${operationName} needs one.`);
  dryRun(input);
  const plaintext = crypto.randomBytes(length);
  const { blob, materialId } = encryptWith(ctx, key, 'SYMMETRIC_DEFAULT', plaintext, input.EncryptionContext);
  ctx.used(key, operationName);
  return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.arn, KeyMaterialId: materialId };
}

const dataKeySpec = {
  KeyId: F.keyId,
  EncryptionContext: F.context,
  NumberOfBytes: F.numberOfBytes,
  KeySpec: { kind: 'enum', values: ['AES_256', 'AES_128'] },
  GrantTokens: F.grantTokens,
  DryRun: F.dryRun,
} as const;

export const GenerateDataKey = operation<GenerateDataKeyRequest, GenerateDataKeyResponse>({ ...dataKeySpec, Recipient: F.unsupported }, (ctx, input) => {
  if (input.Recipient) throw new ValidationException('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  return generateDataKey(ctx, input, 'GenerateDataKey');
});

export const GenerateDataKeyWithoutPlaintext = operation<GenerateDataKeyWithoutPlaintextRequest, GenerateDataKeyWithoutPlaintextResponse>(dataKeySpec, (ctx, input) => {
  const { Plaintext: _dropped, ...rest } = generateDataKey(ctx, input, 'GenerateDataKeyWithoutPlaintext');
  return rest;
});

export const GenerateRandom = operation<GenerateRandomRequest, GenerateRandomResponse>(
  { NumberOfBytes: { ...F.numberOfBytes, required: true }, CustomKeyStoreId: { kind: 'string', min: 1, max: 64 }, Recipient: F.unsupported },
  (ctx, input) => {
    ctx.authorizeAccount();
    if (input.CustomKeyStoreId) throw new CustomKeyStoreNotFoundException(`Custom key store ${input.CustomKeyStoreId} does not exist.`);
    if (input.Recipient) throw new ValidationException('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
    return { Plaintext: crypto.randomBytes(input.NumberOfBytes!) };
  },
);
