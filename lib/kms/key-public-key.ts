/** An asymmetric key's public key (GetPublicKey) as DER (SubjectPublicKeyInfo) and PEM. */
import 'server-only';
import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';

export interface PublicKeyFiles {
  keyId: string;
  keySpec: string;
  der: Uint8Array;
  pem: string;
}

/** PEM is base64 of the DER in 64-character lines between the SPKI armour (RFC 7468 §13). */
export function derToPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

export async function getPublicKeyFiles(kms: KMSClient, keyId: string): Promise<PublicKeyFiles> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const der = out.PublicKey ?? new Uint8Array();
  return { keyId: out.KeyId?.split('/').pop() ?? keyId, keySpec: out.KeySpec ?? '', der, pem: derToPem(der) };
}
