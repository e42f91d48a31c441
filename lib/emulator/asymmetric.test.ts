import crypto from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KeySpec,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { awsError, bytes, testEmulator } from './test-support';

const message = bytes('the message to sign');
const hashOf = (alg: string) => ({ '256': 'sha256', '384': 'sha384', '512': 'sha512' })[alg.slice(-3)]!;

/** Verifies a KMS signature outside KMS, with node:crypto and the key's public key only. */
function verifyOutside(spki: Uint8Array, alg: string, signature: Uint8Array): boolean {
  const key = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (alg.startsWith('RSASSA_PSS')) {
    return crypto.verify(hashOf(alg), message, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }, signature);
  }
  if (alg === 'ED25519_SHA_512') return crypto.verify(null, message, key, signature);
  return crypto.verify(hashOf(alg), message, key, signature);
}

const signingCases: [KeySpec, SigningAlgorithmSpec][] = [
  ...(['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'] as const).map(
    (a): [KeySpec, SigningAlgorithmSpec] => ['RSA_2048', a],
  ),
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
];

describe('Sign and Verify', () => {
  it.each(signingCases)('%s with %s: RAW and DIGEST signatures verify in KMS and outside with the public key', async (KeySpec, SigningAlgorithm) => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'SIGN_VERIFY' }));
    const KeyId = KeyMetadata!.KeyId;
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
    const raw = await kms.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm }));
    expect(raw).toMatchObject({ KeyId: KeyMetadata!.Arn, SigningAlgorithm });
    expect(verifyOutside(PublicKey!, SigningAlgorithm, raw.Signature!)).toBe(true);
    const digest = crypto.createHash(hashOf(SigningAlgorithm)).update(message).digest();
    const fromDigest = await kms.send(new SignCommand({ KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm }));
    expect(verifyOutside(PublicKey!, SigningAlgorithm, fromDigest.Signature!)).toBe(true);
    await expect(kms.send(new VerifyCommand({ KeyId, Message: message, Signature: fromDigest.Signature, SigningAlgorithm }))).resolves.toMatchObject({ SignatureValid: true });
    await expect(kms.send(new VerifyCommand({ KeyId, Message: digest, MessageType: 'DIGEST', Signature: raw.Signature, SigningAlgorithm }))).resolves.toMatchObject({ SignatureValid: true });
    const bad = Uint8Array.from(raw.Signature!);
    bad[bad.length - 5] ^= 1;
    await expect(kms.send(new VerifyCommand({ KeyId, Message: message, Signature: bad, SigningAlgorithm }))).rejects.toMatchObject(awsError('KMSInvalidSignatureException'));
    await expect(kms.send(new VerifyCommand({ KeyId, Message: bytes('another message'), Signature: raw.Signature, SigningAlgorithm }))).rejects.toMatchObject(awsError('KMSInvalidSignatureException'));
  });

  it('refuses a digest of the wrong length and an algorithm the key does not support', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const KeyId = KeyMetadata!.KeyId;
    await expect(kms.send(new SignCommand({ KeyId, Message: new Uint8Array(20), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
    await expect(kms.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
  });

  it('refuses to sign with an encryption key (InvalidKeyUsageException)', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }));
    await expect(kms.send(new SignCommand({ KeyId: KeyMetadata!.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
  });

  it('Ed25519: ED25519_SHA_512 (RAW) verifies outside; ED25519_PH_SHA_512 takes a SHA-512 digest and prehashes it again', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }));
    const KeyId = KeyMetadata!.KeyId;
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
    const pure = await kms.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: 'ED25519_SHA_512' }));
    expect(verifyOutside(PublicKey!, 'ED25519_SHA_512', pure.Signature!)).toBe(true);
    const digest = crypto.createHash('sha512').update(message).digest();
    const ph = await kms.send(new SignCommand({ KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512' }));
    const rawPublic = Buffer.from(PublicKey!).subarray(-32);
    expect(ed25519ph.verify(ph.Signature!, digest, rawPublic)).toBe(true);
    await expect(kms.send(new SignCommand({ KeyId, Message: message, MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: 'ED25519_PH_SHA_512' }))).rejects.toMatchObject(awsError('ValidationException'));
  });

  it.each([
    ['ML_DSA_44', ml_dsa44, '2.16.840.1.101.3.4.3.17'],
    ['ML_DSA_65', ml_dsa65, '2.16.840.1.101.3.4.3.18'],
    ['ML_DSA_87', ml_dsa87, '2.16.840.1.101.3.4.3.19'],
  ] as const)('%s signs RAW and EXTERNAL_MU messages that verify with an independent FIPS 204 implementation', async (KeySpec, impl, oid) => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'SIGN_VERIFY' }));
    const KeyId = KeyMetadata!.KeyId;
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
    const spki = Buffer.from(PublicKey!);
    // The SubjectPublicKeyInfo names the ML-DSA parameter set by its NIST OID (RFC 9881).
    const oidBytes = Buffer.from('0609608648016503040311', 'hex');
    oidBytes[oidBytes.length - 1] = Number(oid.split('.').pop());
    expect(spki.includes(oidBytes)).toBe(true);
    const rawPublic = spki.subarray(spki.length - impl.lengths.publicKey!);
    const { Signature } = await kms.send(new SignCommand({ KeyId, Message: message, SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
    expect(impl.verify(Signature!, message, rawPublic)).toBe(true);
    const mu = crypto.randomBytes(64);
    const { Signature: muSig } = await kms.send(new SignCommand({ KeyId, Message: mu, MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' }));
    expect(impl.internal.verify(muSig!, mu, rawPublic, { externalMu: true })).toBe(true);
    await expect(kms.send(new VerifyCommand({ KeyId, Message: message, Signature, SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).resolves.toMatchObject({ SignatureValid: true });
    // Verify takes the same µ: an EXTERNAL_MU signature verifies against µ, not against the message or another µ.
    await expect(kms.send(new VerifyCommand({ KeyId, Message: mu, MessageType: 'EXTERNAL_MU', Signature: muSig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).resolves.toMatchObject({ SignatureValid: true });
    await expect(kms.send(new VerifyCommand({ KeyId, Message: crypto.randomBytes(64), MessageType: 'EXTERNAL_MU', Signature: muSig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).rejects.toMatchObject(awsError('KMSInvalidSignatureException'));
    await expect(kms.send(new VerifyCommand({ KeyId, Message: mu, MessageType: 'EXTERNAL_MU', Signature, SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).rejects.toMatchObject(awsError('KMSInvalidSignatureException'));
    await expect(kms.send(new VerifyCommand({ KeyId, Message: new Uint8Array(32), MessageType: 'EXTERNAL_MU', Signature: muSig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new SignCommand({ KeyId, Message: new Uint8Array(32), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).rejects.toMatchObject(awsError('ValidationException'));
    await expect(kms.send(new SignCommand({ KeyId, Message: new Uint8Array(32), MessageType: 'DIGEST', SigningAlgorithm: 'ML_DSA_SHAKE_256' }))).rejects.toMatchObject(awsError('ValidationException'));
  });
});

describe('GetPublicKey', () => {
  it('returns the DER SubjectPublicKeyInfo with the key spec, usage and algorithms', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT' }));
    const out = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(out).toMatchObject({ KeyId: KeyMetadata!.Arn, KeySpec: 'RSA_4096', CustomerMasterKeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT', EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] });
    const key = crypto.createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('refuses symmetric and HMAC keys with UnsupportedOperationException', async () => {
    const { kms } = testEmulator();
    for (const KeySpec of ['SYMMETRIC_DEFAULT', 'HMAC_256'] as const) {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: KeySpec === 'HMAC_256' ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT' }));
      await expect(kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.KeyId }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
    }
  });
});

describe('GenerateDataKeyPair', () => {
  it.each(['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'] as const)(
    '%s: the private key matches the public key and its ciphertext decrypts under the KMS key',
    async (KeyPairSpec) => {
      const { kms } = testEmulator();
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      const out = await kms.send(new GenerateDataKeyPairCommand({ KeyId: KeyMetadata!.KeyId, KeyPairSpec, EncryptionContext: { k: 'v' } }));
      expect(out).toMatchObject({ KeyId: KeyMetadata!.Arn, KeyPairSpec });
      const privateKey = crypto.createPrivateKey({ key: Buffer.from(out.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
      const derived = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
      expect(derived.equals(Buffer.from(out.PublicKey!))).toBe(true);
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: { k: 'v' } }));
      expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(out.PrivateKeyPlaintext!))).toBe(true);
    },
  );

  it('WithoutPlaintext omits the private key; SM2 is refused outside China', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const out = await kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: KeyMetadata!.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    expect(out).not.toHaveProperty('PrivateKeyPlaintext');
    expect(out.PrivateKeyCiphertextBlob!.length).toBeGreaterThan(0);
    await expect(kms.send(new GenerateDataKeyPairCommand({ KeyId: KeyMetadata!.KeyId, KeyPairSpec: 'SM2' }))).rejects.toMatchObject(awsError('UnsupportedOperationException'));
  });
});

describe('DeriveSharedSecret', () => {
  it.each([
    ['ECC_NIST_P256', 'prime256v1'],
    ['ECC_NIST_P384', 'secp384r1'],
    ['ECC_NIST_P521', 'secp521r1'],
  ] as const)('%s: equals the ECDH secret computed outside from the other side', async (KeySpec, namedCurve) => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'KEY_AGREEMENT' }));
    const KeyId = KeyMetadata!.KeyId;
    const peer = crypto.generateKeyPairSync('ec', { namedCurve });
    const out = await kms.send(new DeriveSharedSecretCommand({ KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }) }));
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
    const outside = crypto.diffieHellman({ privateKey: peer.privateKey, publicKey: crypto.createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }) });
    expect(Buffer.from(out.SharedSecret!).equals(outside)).toBe(true);
    expect(out).toMatchObject({ KeyId: KeyMetadata!.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
  });

  it('refuses a public key on another curve (ValidationException) and a signing key (InvalidKeyUsageException)', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }));
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' });
    await expect(kms.send(new DeriveSharedSecretCommand({ KeyId: KeyMetadata!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: other }))).rejects.toMatchObject(awsError('ValidationException'));
    const { KeyMetadata: signer } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const mine = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
    await expect(kms.send(new DeriveSharedSecretCommand({ KeyId: signer!.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: mine }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
  });
});

describe('GenerateMac and VerifyMac', () => {
  it.each([
    ['HMAC_224', 'HMAC_SHA_224'],
    ['HMAC_256', 'HMAC_SHA_256'],
    ['HMAC_384', 'HMAC_SHA_384'],
    ['HMAC_512', 'HMAC_SHA_512'],
  ] as const)('%s: a MAC verifies; a changed MAC or message fails with KMSInvalidMacException', async (KeySpec, MacAlgorithm) => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'GENERATE_VERIFY_MAC' }));
    const KeyId = KeyMetadata!.KeyId;
    const { Mac } = await kms.send(new GenerateMacCommand({ KeyId, Message: message, MacAlgorithm }));
    expect(Mac).toHaveLength(Number(KeySpec.slice(5)) / 8);
    await expect(kms.send(new VerifyMacCommand({ KeyId, Message: message, Mac, MacAlgorithm }))).resolves.toMatchObject({ MacValid: true, KeyId: KeyMetadata!.Arn });
    const bad = Uint8Array.from(Mac!);
    bad[0] ^= 1;
    await expect(kms.send(new VerifyMacCommand({ KeyId, Message: message, Mac: bad, MacAlgorithm }))).rejects.toMatchObject(awsError('KMSInvalidMacException'));
    await expect(kms.send(new VerifyMacCommand({ KeyId, Message: bytes('other'), Mac, MacAlgorithm }))).rejects.toMatchObject(awsError('KMSInvalidMacException'));
  });

  it('refuses another MAC algorithm and a non-HMAC key with InvalidKeyUsageException', async () => {
    const { kms } = testEmulator();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
    await expect(kms.send(new GenerateMacCommand({ KeyId: KeyMetadata!.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
    const { KeyMetadata: sym } = await kms.send(new CreateKeyCommand({}));
    await expect(kms.send(new GenerateMacCommand({ KeyId: sym!.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).rejects.toMatchObject(awsError('InvalidKeyUsageException'));
  });
});
