/**
 * Key material: generation, public keys and the private-key operations of every key spec.
 * node:crypto does the work; where Node 20 has no API, audited libraries fill the gap: ML-DSA
 * (@noble/post-quantum, FIPS 204), Ed25519ph (@noble/curves, RFC 8032) and ECDSA over a caller's
 * digest (@noble/curves: node signs only messages it hashes itself).
 */
import crypto, { type KeyObject } from 'node:crypto';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { SPECS, type SupportedKeySpec } from './key-specs';

type MlDsa = typeof ml_dsa44;
const ML_DSA: Record<number, { impl: MlDsa; oid: string }> = {
  44: { impl: ml_dsa44, oid: '060960864801650304031' + '1' },
  65: { impl: ml_dsa65, oid: '060960864801650304031' + '2' },
  87: { impl: ml_dsa87, oid: '060960864801650304031' + '3' },
};

/** Loaded, ready-to-use forms of one key material. */
export interface LoadedKey {
  spec: SupportedKeySpec;
  secret?: KeyObject; // symmetric AES key or HMAC key
  privateKey?: KeyObject; // RSA, EC, Ed25519
  publicKey?: KeyObject;
  rawSecret?: Uint8Array; // EC scalar, Ed25519 seed or ML-DSA expanded secret key
  rawPublic?: Uint8Array; // EC uncompressed point or ML-DSA public key
  publicDer: Buffer | undefined;
}

/** Fresh key material for `spec`, as stored: raw bytes (symmetric, HMAC, ML-DSA seed) or PKCS#8 DER. */
export function generateMaterial(spec: SupportedKeySpec): Buffer {
  const info = SPECS[spec];
  switch (info.family) {
    case 'symmetric':
      return crypto.randomBytes(32);
    case 'hmac':
      return crypto.randomBytes(Number(String(info.param).slice(3)) / 8);
    case 'mldsa':
      return crypto.randomBytes(32);
    case 'rsa':
      return generateKeyPairDer('rsa', { modulusLength: info.param as number, publicExponent: 65537 }).privateDer;
    case 'ecc':
      return generateKeyPairDer('ec', { namedCurve: info.param as string }).privateDer;
    case 'ed25519':
      return generateKeyPairDer('ed25519', {}).privateDer;
  }
}

export function generateKeyPairDer(type: 'rsa' | 'ec' | 'ed25519', options: object): { privateDer: Buffer; publicDer: Buffer } {
  // The overloads of generateKeyPairSync do not accept a runtime-chosen type; the options are checked by node.
  const { privateKey, publicKey } = (crypto.generateKeyPairSync as (t: string, o: object) => { privateKey: KeyObject; publicKey: KeyObject })(type, options);
  return {
    privateDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
    publicDer: publicKey.export({ format: 'der', type: 'spki' }),
  };
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const der = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);

/** SubjectPublicKeyInfo for an ML-DSA public key (RFC 9881: AlgorithmIdentifier with no parameters). */
function mlDsaSpki(oidTlv: string, publicKey: Uint8Array): Buffer {
  return der(0x30, Buffer.concat([der(0x30, Buffer.from(oidTlv, 'hex')), der(0x03, Buffer.concat([Buffer.from([0]), publicKey]))]));
}

export function loadKey(spec: SupportedKeySpec, material: Buffer): LoadedKey {
  const info = SPECS[spec];
  switch (info.family) {
    case 'symmetric':
    case 'hmac':
      return { spec, secret: crypto.createSecretKey(material), publicDer: undefined };
    case 'mldsa': {
      const { impl, oid } = ML_DSA[info.param as number];
      const { secretKey, publicKey } = impl.keygen(material);
      return { spec, rawSecret: secretKey, rawPublic: publicKey, publicDer: mlDsaSpki(oid, publicKey) };
    }
    default: {
      const privateKey = crypto.createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      const publicKey = crypto.createPublicKey(privateKey);
      const loaded: LoadedKey = { spec, privateKey, publicKey, publicDer: publicKey.export({ format: 'der', type: 'spki' }) };
      if (info.family === 'ed25519' || info.family === 'ecc') {
        const jwk = privateKey.export({ format: 'jwk' });
        loaded.rawSecret = Buffer.from(jwk.d!, 'base64url');
        if (jwk.y) loaded.rawPublic = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
      }
      return loaded;
    }
  }
}

// ---- Signing ---------------------------------------------------------------------------------

const HASH_OF: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
export const hashOfAlgorithm = (algorithm: string): string | undefined => HASH_OF[algorithm.slice(-3)];
const HASH_LENGTH: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** DER prefixes of the PKCS#1 v1.5 DigestInfo for each hash (RFC 8017, section 9.2, note 1). */
const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function mgf1(seed: Buffer, length: number, hash: string): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0, total = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = crypto.createHash(hash).update(seed).update(c).digest();
    blocks.push(block);
    total += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/**
 * EMSA-PSS encoding (RFC 8017, 9.1.1) with salt length = hash length, as KMS signs. Node signs only
 * messages with PSS, not digests, so DIGEST mode encodes here and applies the raw RSA operation.
 */
function emsaPssEncode(mHash: Buffer, emBits: number, hash: string): Buffer {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  const salt = crypto.randomBytes(hLen);
  const h = crypto.createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

function emsaPssVerify(mHash: Buffer, em: Buffer, emBits: number, hash: string): boolean {
  const hLen = mHash.length;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || em[emLen - 1] !== 0xbc || emLen < 2 * hLen + 2) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((db[0] & ~(0xff >> (8 * emLen - emBits))) !== 0) return false;
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const psEnd = emLen - 2 * hLen - 2;
  if (db.subarray(0, psEnd).some((b) => b !== 0) || db[psEnd] !== 1) return false;
  const salt = db.subarray(db.length - hLen);
  const h2 = crypto.createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return crypto.timingSafeEqual(h, h2);
}

function rsaModulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 0;
}

/** Left-pads a raw RSA result to the modulus length. */
function pad(buf: Buffer, length: number): Buffer {
  return buf.length >= length ? buf : Buffer.concat([Buffer.alloc(length - buf.length), buf]);
}

export class DigestLengthError extends Error {}

const CURVES: Record<string, typeof p256> = { prime256v1: p256, secp384r1: p384, secp521r1: p521, secp256k1 };
const curveOf = (key: LoadedKey) => CURVES[SPECS[key.spec].param as string];
const ecdsaDigestOptions = { prehash: false, format: 'der', lowS: false } as const;

function checkDigest(hash: string, digest: Buffer): void {
  if (digest.length !== HASH_LENGTH[hash]) throw new DigestLengthError();
}

/**
 * Signs with `algorithm`. MessageType RAW hashes the message as part of signing; DIGEST signs the
 * caller's digest as is; EXTERNAL_MU is ML-DSA's 64-byte representative.
 */
export function sign(key: LoadedKey, algorithm: string, message: Buffer, messageType: 'RAW' | 'DIGEST' | 'EXTERNAL_MU'): Buffer {
  const family = SPECS[key.spec].family;
  if (family === 'mldsa') {
    const { impl } = ML_DSA[SPECS[key.spec].param as number];
    if (messageType === 'EXTERNAL_MU') return Buffer.from(impl.internal.sign(message, key.rawSecret!, { externalMu: true }));
    return Buffer.from(impl.sign(message, key.rawSecret!));
  }
  if (family === 'ed25519') {
    if (algorithm === 'ED25519_PH_SHA_512') return Buffer.from(ed25519ph.sign(message, key.rawSecret!));
    return crypto.sign(null, message, key.privateKey!);
  }
  const hash = hashOfAlgorithm(algorithm)!;
  const pss = algorithm.startsWith('RSASSA_PSS');
  if (messageType === 'RAW') {
    if (family === 'ecc') return crypto.sign(hash, message, key.privateKey!);
    return crypto.sign(hash, message, pss ? { key: key.privateKey!, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST } : key.privateKey!);
  }
  checkDigest(hash, message);
  if (family === 'ecc') return Buffer.from(curveOf(key).sign(message, key.rawSecret!, ecdsaDigestOptions));
  if (!pss) {
    // PKCS#1 v1.5 signing is the private-key operation over DigestInfo with type-1 padding.
    return crypto.privateEncrypt({ key: key.privateKey!, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), message]));
  }
  const bits = rsaModulusBits(key.privateKey!);
  const em = pad(emsaPssEncode(message, bits - 1, hash), bits / 8);
  return crypto.privateEncrypt({ key: key.privateKey!, padding: crypto.constants.RSA_NO_PADDING }, em);
}

export function verify(key: LoadedKey, algorithm: string, message: Buffer, messageType: 'RAW' | 'DIGEST' | 'EXTERNAL_MU', signature: Buffer): boolean {
  const family = SPECS[key.spec].family;
  const hash = hashOfAlgorithm(algorithm);
  if (messageType === 'DIGEST' && hash && family !== 'ed25519') checkDigest(hash, message);
  try {
    if (family === 'mldsa') {
      const { impl } = ML_DSA[SPECS[key.spec].param as number];
      if (messageType === 'EXTERNAL_MU') return impl.internal.verify(signature, message, key.rawPublic!, { externalMu: true });
      return impl.verify(signature, message, key.rawPublic!);
    }
    if (family === 'ed25519') {
      if (algorithm === 'ED25519_PH_SHA_512') return ed25519ph.verify(signature, message, ed25519ph.getPublicKey(key.rawSecret!));
      return crypto.verify(null, message, key.publicKey!, signature);
    }
    const pss = algorithm.startsWith('RSASSA_PSS');
    if (messageType === 'RAW') {
      if (family === 'ecc') return crypto.verify(hash!, message, key.publicKey!, signature);
      return crypto.verify(hash!, message, pss ? { key: key.publicKey!, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST } : key.publicKey!, signature);
    }
    if (family === 'ecc') return curveOf(key).verify(signature, message, key.rawPublic!, ecdsaDigestOptions);
    const bits = rsaModulusBits(key.publicKey!);
    if (signature.length !== bits / 8) return false;
    if (!pss) {
      const recovered = crypto.publicDecrypt({ key: key.publicKey!, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
      return recovered.equals(Buffer.concat([Buffer.from(DIGEST_INFO[hash!], 'hex'), message]));
    }
    const em = crypto.publicDecrypt({ key: key.publicKey!, padding: crypto.constants.RSA_NO_PADDING }, signature);
    const emLen = Math.ceil((bits - 1) / 8);
    return emsaPssVerify(message, em.subarray(em.length - emLen), bits - 1, hash!);
  } catch {
    return false; // a malformed signature is simply not valid
  }
}

// ---- Encryption, MAC, key agreement -------------------------------------------------------------

const OAEP_HASH = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' } as const;
export type RsaEncryptionAlgorithm = keyof typeof OAEP_HASH;

/** Largest plaintext for RSAES-OAEP: k - 2·hLen - 2 bytes. */
export function rsaMaxPlaintext(key: LoadedKey, algorithm: RsaEncryptionAlgorithm): number {
  const k = rsaModulusBits(key.publicKey!) / 8;
  return k - 2 * (algorithm === 'RSAES_OAEP_SHA_1' ? 20 : 32) - 2;
}

export function rsaEncrypt(key: LoadedKey, algorithm: RsaEncryptionAlgorithm, plaintext: Buffer): Buffer {
  return crypto.publicEncrypt({ key: key.publicKey!, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, plaintext);
}

/** Returns undefined when the ciphertext does not decrypt under this key and algorithm. */
export function rsaDecrypt(key: LoadedKey, algorithm: RsaEncryptionAlgorithm, ciphertext: Buffer): Buffer | undefined {
  try {
    return crypto.privateDecrypt({ key: key.privateKey!, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, ciphertext);
  } catch {
    return undefined;
  }
}

export function hmac(key: LoadedKey, message: Buffer): Buffer {
  return crypto.createHmac(SPECS[key.spec].param as string, key.secret!).update(message).digest();
}

/** ECDH (SP 800-56A) with the peer's SubjectPublicKeyInfo; throws when it is not a key on the same curve. */
export function deriveSharedSecret(key: LoadedKey, peerSpki: Buffer): Buffer {
  const peer = crypto.createPublicKey({ key: peerSpki, format: 'der', type: 'spki' });
  return crypto.diffieHellman({ privateKey: key.privateKey!, publicKey: peer });
}
