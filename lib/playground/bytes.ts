/** Byte helpers the playground's browser code needs: base64, UTF-8 and hex views of a blob. */
import { base64 } from './envelope-format';

export const toBase64 = base64.encode;
export const fromBase64 = base64.decode;
export const utf8 = (text: string) => new TextEncoder().encode(text);

/** The bytes as text when they are valid UTF-8 without control characters (bar tab and newlines), else null. */
export function asText(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** PEM of a DER SubjectPublicKeyInfo. */
export function publicKeyPem(der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return ['-----BEGIN PUBLIC KEY-----', ...lines, '-----END PUBLIC KEY-----', ''].join('\n');
}

/** DER bytes from a pasted public key: PEM or bare base64. */
export function publicKeyDer(text: string): Uint8Array | null {
  const body = text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  try {
    return fromBase64(body);
  } catch {
    return null;
  }
}

/** Encryption context editor rows to the map KMS takes; errors name the problem. */
export function contextFromRows(rows: readonly { key: string; value: string }[]): { context: Record<string, string> } | { error: string } {
  const context: Record<string, string> = {};
  for (const { key, value } of rows) {
    if (key === '' && value === '') continue;
    if (key.trim() === '') return { error: `The context value "${value}" has no key.` };
    if (key in context) return { error: `The context key "${key}" appears twice.` };
    context[key] = value;
  }
  return { context };
}
