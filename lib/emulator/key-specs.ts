/** What each KMS key spec is: its family, the key usages it allows and the algorithms each usage offers. */
import type {
  EncryptionAlgorithmSpec,
  KeyAgreementAlgorithmSpec,
  KeySpec,
  KeyUsageType,
  MacAlgorithmSpec,
  SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';

export type Family = 'symmetric' | 'rsa' | 'ecc' | 'ed25519' | 'hmac' | 'mldsa';

export const KEY_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
  'ECC_NIST_EDWARDS25519',
] as const satisfies readonly KeySpec[];
export const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const satisfies readonly KeyUsageType[];
export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const satisfies readonly EncryptionAlgorithmSpec[];
export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'SM2DSA', 'ML_DSA_SHAKE_256',
  'ED25519_SHA_512', 'ED25519_PH_SHA_512',
] as const satisfies readonly SigningAlgorithmSpec[];
export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const satisfies readonly MacAlgorithmSpec[];
export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519',
] as const;
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

export interface SpecInfo {
  family: Family;
  usages: readonly KeyUsageType[];
  /** Node's curve name, RSA modulus bits, HMAC hash or ML-DSA level. */
  param: string | number;
}

const RSA: readonly KeyUsageType[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];
const NIST: readonly KeyUsageType[] = ['SIGN_VERIFY', 'KEY_AGREEMENT'];
const SIGN: readonly KeyUsageType[] = ['SIGN_VERIFY'];
const MAC: readonly KeyUsageType[] = ['GENERATE_VERIFY_MAC'];

/** SM2 exists only in the China regions, which the emulator does not offer. */
export const SPECS: Record<Exclude<(typeof KEY_SPECS)[number], 'SM2'>, SpecInfo> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'], param: 256 },
  RSA_2048: { family: 'rsa', usages: RSA, param: 2048 },
  RSA_3072: { family: 'rsa', usages: RSA, param: 3072 },
  RSA_4096: { family: 'rsa', usages: RSA, param: 4096 },
  ECC_NIST_P256: { family: 'ecc', usages: NIST, param: 'prime256v1' },
  ECC_NIST_P384: { family: 'ecc', usages: NIST, param: 'secp384r1' },
  ECC_NIST_P521: { family: 'ecc', usages: NIST, param: 'secp521r1' },
  ECC_SECG_P256K1: { family: 'ecc', usages: SIGN, param: 'secp256k1' },
  ECC_NIST_EDWARDS25519: { family: 'ed25519', usages: SIGN, param: 'ed25519' },
  HMAC_224: { family: 'hmac', usages: MAC, param: 'sha224' },
  HMAC_256: { family: 'hmac', usages: MAC, param: 'sha256' },
  HMAC_384: { family: 'hmac', usages: MAC, param: 'sha384' },
  HMAC_512: { family: 'hmac', usages: MAC, param: 'sha512' },
  ML_DSA_44: { family: 'mldsa', usages: SIGN, param: 44 },
  ML_DSA_65: { family: 'mldsa', usages: SIGN, param: 65 },
  ML_DSA_87: { family: 'mldsa', usages: SIGN, param: 87 },
};
export type SupportedKeySpec = keyof typeof SPECS;

export interface Algorithms {
  EncryptionAlgorithms?: EncryptionAlgorithmSpec[];
  SigningAlgorithms?: SigningAlgorithmSpec[];
  MacAlgorithms?: MacAlgorithmSpec[];
  KeyAgreementAlgorithms?: KeyAgreementAlgorithmSpec[];
}

const ECDSA_BY_CURVE: Record<string, SigningAlgorithmSpec> = {
  prime256v1: 'ECDSA_SHA_256',
  secp384r1: 'ECDSA_SHA_384',
  secp521r1: 'ECDSA_SHA_512',
  secp256k1: 'ECDSA_SHA_256',
};

const algorithmCache = new Map<string, Readonly<Algorithms>>();

/** The algorithm lists DescribeKey and GetPublicKey report for a key of this spec and usage (shared; do not mutate). */
export function algorithmsFor(spec: SupportedKeySpec, usage: KeyUsageType): Readonly<Algorithms> {
  const id = `${spec}/${usage}`;
  let algorithms = algorithmCache.get(id);
  if (!algorithms) algorithmCache.set(id, (algorithms = computeAlgorithms(spec, usage)));
  return algorithms;
}

function computeAlgorithms(spec: SupportedKeySpec, usage: KeyUsageType): Algorithms {
  const info = SPECS[spec];
  switch (info.family) {
    case 'symmetric':
      return { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
    case 'rsa':
      return usage === 'ENCRYPT_DECRYPT'
        ? { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }
        : {
            SigningAlgorithms: [
              'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
              'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
            ],
          };
    case 'ecc':
      return usage === 'KEY_AGREEMENT' ? { KeyAgreementAlgorithms: ['ECDH'] } : { SigningAlgorithms: [ECDSA_BY_CURVE[info.param]] };
    case 'ed25519':
      return { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] };
    case 'mldsa':
      return { SigningAlgorithms: ['ML_DSA_SHAKE_256'] };
    case 'hmac':
      return { MacAlgorithms: [`HMAC_SHA_${String(info.param).slice(3)}` as MacAlgorithmSpec] };
  }
}
