/** The KMS half of envelope encryption, for Node callers (the CLI, tests): a fresh data key, and its unwrapping. */
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { EnvelopeHeader } from './envelope-format';

export interface DataKey {
  keyArn: string;
  plaintext: Uint8Array;
  encrypted: Uint8Array;
}

/** GenerateDataKey (AES_256) under `keyId` with `encryptionContext`. */
export async function generateDataKey(kms: KMSClient, keyId: string, encryptionContext: Record<string, string>): Promise<DataKey> {
  const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext }));
  if (!out.KeyId || !out.Plaintext || !out.CiphertextBlob) throw new Error('GenerateDataKey returned no data key.');
  return { keyArn: out.KeyId, plaintext: out.Plaintext, encrypted: out.CiphertextBlob };
}

/** Decrypts the header's data key with the key and encryption context the header names (a wrong context: InvalidCiphertextException). */
export async function unwrapDataKey(kms: KMSClient, header: EnvelopeHeader, encryptionContext: Record<string, string> = header.encryptionContext): Promise<Uint8Array> {
  const out = await kms.send(new DecryptCommand({ KeyId: header.keyArn, CiphertextBlob: header.encryptedDataKey, EncryptionContext: encryptionContext }));
  if (!out.Plaintext) throw new Error('Decrypt returned no plaintext.');
  return out.Plaintext;
}
