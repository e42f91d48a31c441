/** What each playground action accepts: zod schemas shared by the server actions and their tests. Blobs travel as base64. */
import { z } from 'zod';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const regionSchema = z.string().regex(REGION, { error: 'must be an AWS Region such as us-east-1' });
export const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64' });
const keyId = z.string().min(1, { error: 'choose a key' }).max(2048);
/** An encryption context as KMS takes it: string keys and values. */
export const contextSchema = z.record(z.string().min(1, { error: 'a context key cannot be empty' }), z.string());

export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
export const MESSAGE_TYPES = ['RAW', 'DIGEST'] as const;

export const encryptInput = z.object({
  region: regionSchema,
  keyId,
  plaintext: base64Schema,
  encryptionContext: contextSchema.optional(),
  encryptionAlgorithm: z.enum(ENCRYPTION_ALGORITHMS).optional(),
});
export const decryptInput = z.object({
  region: regionSchema,
  keyId: keyId.optional(),
  ciphertext: base64Schema.min(1, { error: 'paste or load a ciphertext' }),
  encryptionContext: contextSchema.optional(),
  encryptionAlgorithm: z.enum(ENCRYPTION_ALGORITHMS).optional(),
});
export const reEncryptInput = z.object({
  region: regionSchema,
  sourceKeyId: keyId.optional(),
  destinationKeyId: keyId,
  ciphertext: base64Schema.min(1, { error: 'paste or load a ciphertext' }),
  sourceEncryptionContext: contextSchema.optional(),
  destinationEncryptionContext: contextSchema.optional(),
});
export const generateRandomInput = z.object({ region: regionSchema, numberOfBytes: z.number().int().min(1).max(1024) });
export const signInput = z.object({
  region: regionSchema,
  keyId,
  message: base64Schema,
  messageType: z.enum(MESSAGE_TYPES),
  signingAlgorithm: z.string().min(1),
});
export const verifyInput = signInput.extend({ signature: base64Schema.min(1, { error: 'sign first, or paste a signature' }) });
export const getPublicKeyInput = z.object({ region: regionSchema, keyId });
export const generateMacInput = z.object({ region: regionSchema, keyId, message: base64Schema, macAlgorithm: z.string().min(1) });
export const verifyMacInput = generateMacInput.extend({ mac: base64Schema.min(1, { error: 'generate a MAC first, or paste one' }) });
export const deriveSharedSecretInput = z.object({
  region: regionSchema,
  keyId,
  keyAgreementAlgorithm: z.literal('ECDH'),
  publicKey: base64Schema.min(1, { error: 'paste the peer public key (DER, base64) or generate one' }),
});
export const generateDataKeyInput = z.object({ region: regionSchema, keyId, encryptionContext: contextSchema.optional() });
export const decryptDataKeyInput = z.object({ region: regionSchema, keyArn: keyId, encryptedDataKey: base64Schema.min(1), encryptionContext: contextSchema.optional() });

export type EncryptInput = z.infer<typeof encryptInput>;
export type DecryptInput = z.infer<typeof decryptInput>;
export type ReEncryptInput = z.infer<typeof reEncryptInput>;
export type GenerateRandomInput = z.infer<typeof generateRandomInput>;
export type SignInput = z.infer<typeof signInput>;
export type VerifyInput = z.infer<typeof verifyInput>;
export type GetPublicKeyInput = z.infer<typeof getPublicKeyInput>;
export type GenerateMacInput = z.infer<typeof generateMacInput>;
export type VerifyMacInput = z.infer<typeof verifyMacInput>;
export type DeriveSharedSecretInput = z.infer<typeof deriveSharedSecretInput>;
export type GenerateDataKeyInput = z.infer<typeof generateDataKeyInput>;
export type DecryptDataKeyInput = z.infer<typeof decryptDataKeyInput>;
