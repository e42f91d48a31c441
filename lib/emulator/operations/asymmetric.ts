/** Asymmetric keys: Sign, Verify, GetPublicKey, GenerateDataKeyPair(WithoutPlaintext), DeriveSharedSecret. */
import type {
  CustomerMasterKeySpec,
  DeriveSharedSecretRequest,
  DeriveSharedSecretResponse,
  GenerateDataKeyPairRequest,
  GenerateDataKeyPairResponse,
  GenerateDataKeyPairWithoutPlaintextRequest,
  GenerateDataKeyPairWithoutPlaintextResponse,
  GetPublicKeyRequest,
  GetPublicKeyResponse,
  MessageType,
  SigningAlgorithmSpec,
  SignRequest,
  SignResponse,
  VerifyRequest,
  VerifyResponse,
} from '@aws-sdk/client-kms';
import {
  InvalidKeyUsageException,
  KMSInvalidSignatureException,
  UnsupportedOperationException,
  ValidationException,
} from '../errors';
import { deriveSharedSecret, DigestLengthError, generateKeyPairDer, sign, verify } from '../key-material';
import { algorithmsFor, DATA_KEY_PAIR_SPECS, SIGNING_ALGORITHMS, SPECS, type DataKeyPairSpec } from '../key-specs';
import type { KeyRecord } from '../store';
import { F } from '../validate';
import { dryRun, operation, requireEnabled, requireUsage, resolveKey, type OperationContext } from './context';
import { encryptionKey, encryptWith } from './crypto';

const messageType = { kind: 'enum', values: ['RAW', 'DIGEST', 'EXTERNAL_MU'] } as const;
const signingAlgorithm = { kind: 'enum', required: true, values: SIGNING_ALGORITHMS } as const;

/** Checks key, algorithm and message type together, as KMS does before it signs or verifies. */
function signingKey(ctx: OperationContext, input: { KeyId?: string; SigningAlgorithm?: SigningAlgorithmSpec; MessageType?: MessageType; Message?: Uint8Array }, operationName: string) {
  const key = resolveKey(ctx, input.KeyId!);
  requireEnabled(key);
  requireUsage(key, 'SIGN_VERIFY', operationName);
  const algorithm = input.SigningAlgorithm!;
  const supported = algorithmsFor(key.keySpec, key.keyUsage).SigningAlgorithms ?? [];
  if (!supported.includes(algorithm)) {
    throw new InvalidKeyUsageException(`${key.arn} does not support signing algorithm ${algorithm}; it supports ${supported.join(', ')}.`);
  }
  const type = input.MessageType ?? 'RAW';
  const family = SPECS[key.keySpec].family;
  if (type === 'EXTERNAL_MU' && family !== 'mldsa') throw new ValidationException('MessageType EXTERNAL_MU is valid only with ML-DSA keys.');
  if (type === 'EXTERNAL_MU' && input.Message!.length !== 64) throw new ValidationException('With MessageType EXTERNAL_MU the message must be the 64-byte representative mu.');
  if (type === 'DIGEST' && family === 'mldsa') throw new ValidationException('ML-DSA keys accept MessageType RAW or EXTERNAL_MU, not DIGEST.');
  if (algorithm === 'ED25519_SHA_512' && type !== 'RAW') throw new ValidationException('ED25519_SHA_512 requires MessageType RAW.');
  if (algorithm === 'ED25519_PH_SHA_512' && type !== 'DIGEST') throw new ValidationException('ED25519_PH_SHA_512 requires MessageType DIGEST.');
  if (algorithm === 'ED25519_PH_SHA_512' && input.Message!.length !== 64) throw new ValidationException('Digest is invalid length for algorithm ED25519_PH_SHA_512.');
  return { key, algorithm, type };
}

function digestLength<T>(algorithm: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DigestLengthError) throw new ValidationException(`Digest is invalid length for algorithm ${algorithm}.`);
    throw error;
  }
}

const signSpec = {
  KeyId: F.keyId,
  Message: { kind: 'blob', required: true, min: 0, max: 4096 },
  MessageType: messageType,
  GrantTokens: F.grantTokens,
  SigningAlgorithm: signingAlgorithm,
  DryRun: F.dryRun,
} as const;

export const Sign = operation<SignRequest, SignResponse>(signSpec, (ctx, input) => {
  const { key, algorithm, type } = signingKey(ctx, input, 'Sign');
  dryRun(input);
  const signature = digestLength(algorithm, () => sign(ctx.load(key), algorithm, input.Message as Buffer, type));
  ctx.used(key, 'Sign');
  return { KeyId: key.arn, Signature: signature, SigningAlgorithm: algorithm };
});

export const Verify = operation<VerifyRequest, VerifyResponse>({ ...signSpec, Signature: F.ciphertext }, (ctx, input) => {
  const { key, algorithm, type } = signingKey(ctx, input, 'Verify');
  dryRun(input);
  const valid = digestLength(algorithm, () => verify(ctx.load(key), algorithm, input.Message as Buffer, type, input.Signature as Buffer));
  if (!valid) throw new KMSInvalidSignatureException('The signature is not valid for this message, key and signing algorithm.');
  ctx.used(key, 'Verify');
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm };
});

function requireAsymmetric(key: KeyRecord): void {
  const family = SPECS[key.keySpec].family;
  if (family === 'symmetric' || family === 'hmac') {
    throw new UnsupportedOperationException(`${key.arn} key spec is ${key.keySpec}; only asymmetric KMS keys have a public key.`);
  }
}

export const GetPublicKey = operation<GetPublicKeyRequest, GetPublicKeyResponse>({ KeyId: F.keyId, GrantTokens: F.grantTokens }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!);
  requireAsymmetric(key);
  requireEnabled(key);
  return {
    KeyId: key.arn,
    PublicKey: ctx.load(key).publicDer,
    // CustomerMasterKeySpec is deprecated and its enum stopped growing; AWS still mirrors KeySpec in it.
    CustomerMasterKeySpec: key.keySpec as CustomerMasterKeySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    ...algorithmsFor(key.keySpec, key.keyUsage),
  };
});

function newKeyPair(spec: DataKeyPairSpec) {
  switch (spec) {
    case 'SM2':
      throw new UnsupportedOperationException('KeyPairSpec SM2 is supported only in the China Regions.');
    case 'RSA_2048':
    case 'RSA_3072':
    case 'RSA_4096':
      return generateKeyPairDer('rsa', { modulusLength: Number(spec.slice(4)), publicExponent: 65537 });
    case 'ECC_NIST_EDWARDS25519':
      return generateKeyPairDer('ed25519', {});
    default:
      return generateKeyPairDer('ec', { namedCurve: SPECS[spec].param });
  }
}

function generateDataKeyPair(ctx: OperationContext, input: GenerateDataKeyPairWithoutPlaintextRequest, operationName: 'GenerateDataKeyPair' | 'GenerateDataKeyPairWithoutPlaintext') {
  const key = encryptionKey(ctx, input.KeyId!, 'SYMMETRIC_DEFAULT', operationName);
  const spec = input.KeyPairSpec as DataKeyPairSpec;
  dryRun(input);
  const { privateDer, publicDer } = newKeyPair(spec);
  const { blob, materialId } = encryptWith(ctx, key, 'SYMMETRIC_DEFAULT', privateDer, input.EncryptionContext);
  ctx.used(key, operationName);
  return { PrivateKeyCiphertextBlob: blob, PrivateKeyPlaintext: privateDer, PublicKey: publicDer, KeyId: key.arn, KeyPairSpec: spec, KeyMaterialId: materialId };
}

const dataKeyPairSpec = {
  EncryptionContext: F.context,
  KeyId: F.keyId,
  KeyPairSpec: { kind: 'enum', required: true, values: DATA_KEY_PAIR_SPECS },
  GrantTokens: F.grantTokens,
  DryRun: F.dryRun,
} as const;

export const GenerateDataKeyPair = operation<GenerateDataKeyPairRequest, GenerateDataKeyPairResponse>({ ...dataKeyPairSpec, Recipient: F.unsupported }, (ctx, input) => {
  if (input.Recipient) throw new ValidationException('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  return generateDataKeyPair(ctx, input, 'GenerateDataKeyPair');
});

export const GenerateDataKeyPairWithoutPlaintext = operation<GenerateDataKeyPairWithoutPlaintextRequest, GenerateDataKeyPairWithoutPlaintextResponse>(
  dataKeyPairSpec,
  (ctx, input) => {
    const { PrivateKeyPlaintext: _dropped, ...rest } = generateDataKeyPair(ctx, input, 'GenerateDataKeyPairWithoutPlaintext');
    return rest;
  },
);

export const DeriveSharedSecret = operation<DeriveSharedSecretRequest, DeriveSharedSecretResponse>(
  {
    KeyId: F.keyId,
    KeyAgreementAlgorithm: { kind: 'enum', required: true, values: ['ECDH'] },
    PublicKey: { kind: 'blob', required: true, min: 1, max: 8192 },
    GrantTokens: F.grantTokens,
    DryRun: F.dryRun,
    Recipient: F.unsupported,
  },
  (ctx, input) => {
    if (input.Recipient) throw new ValidationException('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
    const key = resolveKey(ctx, input.KeyId!);
    requireEnabled(key);
    requireUsage(key, 'KEY_AGREEMENT', 'DeriveSharedSecret');
    dryRun(input);
    let secret: Buffer;
    try {
      secret = deriveSharedSecret(ctx.load(key), input.PublicKey as Buffer);
    } catch {
      throw new ValidationException(`PublicKey must be a DER-encoded SubjectPublicKeyInfo of a ${key.keySpec} public key.`);
    }
    ctx.used(key, 'DeriveSharedSecret');
    return { KeyId: key.arn, SharedSecret: secret, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: key.origin };
  },
);
