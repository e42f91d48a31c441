/** Canonical JSON (object keys sorted, no whitespace) and the audit chain's SHA-256 over it. */
import crypto from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prev_hash ‖ '\n' ‖ canonical JSON of the entry's content). */
export function chainHash(prevHash: string, content: unknown): string {
  return crypto.createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}
