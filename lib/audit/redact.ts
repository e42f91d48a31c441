/**
 * Removes secrets from an action's parameters before they reach the audit log: by field name
 * (plaintexts, ciphertext blobs, key material, import tokens, passwords, tokens …) and by shape (binary
 * values, long base64 strings), and says which paths it removed. Key policies, descriptions, aliases and
 * tags are not secrets and stay: the policy history and the reviewer need them.
 */

export const REDACTED = '[redacted]';

// Matched against the field name lower-cased without separators, so `CiphertextBlob`, `plaintext_b64`
// and `grantTokens` all hit. `message` covers Sign/GenerateMac input, which is the caller's data.
const SECRET_NAME = /plaintext|ciphertext|keymaterial|importtoken|password|passphrase|secret|token|privatekey|credential|datakey|message|wrappingkey/;

// Fields whose values are kept whatever they look like (a tag value may well look like base64).
const KEEP = new Set(['policy', 'previouspolicy', 'description', 'aliasname', 'from', 'to', 'tags', 'key', 'value', 'previouskey', 'keyid', 'region', 'account', 'name', 'targetkeyid']);

// 32+ characters of base64 or base64url with mixed character classes: a blob, a key, a token.
const BASE64 = /^[A-Za-z0-9+/_-]{32,}={0,2}$/;

/** True for a string that looks like encoded binary (and not like an ARN, alias, id or word). */
export function looksLikeBase64(value: string): boolean {
  if (!BASE64.test(value) || value.startsWith('alias/')) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 3 || value.endsWith('=');
}

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface Redacted {
  /** The parameters with each secret replaced by `[redacted]`. */
  params: unknown;
  /** The paths replaced, e.g. `plaintext`, `encryptionContext.token`, `grantTokens.0`. */
  removed: string[];
}

export function redactParams(input: unknown): Redacted {
  const removed: string[] = [];
  const walk = (value: unknown, path: string[], kept: boolean): unknown => {
    const here = path.join('.');
    if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'string') {
      if (!kept && looksLikeBase64(value)) {
        removed.push(here);
        return REDACTED;
      }
      return value;
    }
    if (value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      removed.push(here);
      return REDACTED;
    }
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, String(i)], kept));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        const normalized = normalize(name);
        if (SECRET_NAME.test(normalized)) {
          removed.push([...path, name].join('.'));
          out[name] = REDACTED;
          continue;
        }
        const next = walk(item, [...path, name], kept || KEEP.has(normalized));
        if (next !== undefined) out[name] = next;
      }
      return out;
    }
    return undefined;
  };
  return { params: walk(input, [], false) ?? null, removed };
}
