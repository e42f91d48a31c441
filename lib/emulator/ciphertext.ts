/**
 * The symmetric ciphertext blob: version | key id (16) | key material id (32) | iv (12) | ciphertext | tag (16).
 * The header and the canonical encryption context are the AES-256-GCM additional authenticated data,
 * so a changed byte or a different context fails authentication.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { randomBytes } from './random';

const VERSION_UUID = 0x01; // key id is a UUID
const VERSION_MRK = 0x02; // key id is mrk-<32 hex> (multi-Region key)
const HEADER = 1 + 16 + 32 + 12;
const TAG = 16;

export interface ParsedCiphertext {
  keyId: string;
  materialId: string;
  header: Buffer;
  iv: Buffer;
  body: Buffer;
  tag: Buffer;
}

/** Canonical bytes of an encryption context: pairs sorted by key. */
const NONE = Buffer.alloc(0);

export function canonicalContext(context: Record<string, string> | undefined): Buffer {
  if (!context) return NONE;
  const keys = Object.keys(context);
  if (keys.length === 0) return NONE;
  keys.sort();
  return Buffer.from(JSON.stringify(keys.map((k) => [k, context[k]])));
}

const aad = (header: Buffer, context: Record<string, string> | undefined) => {
  const bound = canonicalContext(context);
  return bound.length === 0 ? header : Buffer.concat([header, bound]);
};

function keyIdBytes(keyId: string): { version: number; bytes: Buffer } {
  if (keyId.startsWith('mrk-')) return { version: VERSION_MRK, bytes: Buffer.from(keyId.slice(4), 'hex') };
  return { version: VERSION_UUID, bytes: Buffer.from(keyId.replaceAll('-', ''), 'hex') };
}

function keyIdString(version: number, bytes: Buffer): string {
  const hex = bytes.toString('hex');
  if (version === VERSION_MRK) return `mrk-${hex}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** version | key id | material id, per key material: the same 49 bytes start every blob it makes. */
const prefixes = new Map<string, Buffer>();
function prefix(keyId: string, materialId: string): Buffer {
  let p = prefixes.get(materialId);
  if (!p) {
    const { version, bytes } = keyIdBytes(keyId);
    p = Buffer.concat([Buffer.from([version]), bytes, Buffer.from(materialId, 'hex')]);
    prefixes.set(materialId, p);
  }
  return p;
}

export function seal(keyId: string, materialId: string, key: KeyObject, plaintext: Buffer, context: Record<string, string> | undefined): Buffer {
  const iv = randomBytes(12);
  const header = Buffer.concat([prefix(keyId, materialId), iv]);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(header, context));
  return Buffer.concat([header, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Splits a blob into its parts, or undefined when it is not one of ours. */
export function parse(blob: Buffer): ParsedCiphertext | undefined {
  if (blob.length < HEADER + TAG || (blob[0] !== VERSION_UUID && blob[0] !== VERSION_MRK)) return undefined;
  return {
    keyId: keyIdString(blob[0], blob.subarray(1, 17)),
    materialId: blob.subarray(17, 49).toString('hex'),
    header: blob.subarray(0, HEADER),
    iv: blob.subarray(49, HEADER),
    body: blob.subarray(HEADER, blob.length - TAG),
    tag: blob.subarray(blob.length - TAG),
  };
}

/** The plaintext, or undefined when authentication fails (tampering or a different context). */
export function open(parsed: ParsedCiphertext, key: KeyObject, context: Record<string, string> | undefined): Buffer | undefined {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, parsed.iv);
  decipher.setAAD(aad(parsed.header, context));
  decipher.setAuthTag(parsed.tag);
  try {
    return Buffer.concat([decipher.update(parsed.body), decipher.final()]);
  } catch {
    return undefined;
  }
}
