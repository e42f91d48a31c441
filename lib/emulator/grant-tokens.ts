/**
 * Grant tokens: the opaque strings CreateGrant returns. Each names its grant (region, key, grant id) plus a
 * random nonce, so every CreateGrant call returns a new token and all tokens of a grant are interchangeable
 * (API_CreateGrant.html, Name). The emulator has no eventual consistency, so a grant is effective without
 * its token; tokens are still checked, and one that is malformed or names no grant is InvalidGrantTokenException.
 */
import crypto from 'node:crypto';
import { InvalidGrantTokenException } from './errors';
import type { GrantRecord, KeyRecord, Store } from './store';

const VERSION = 1;
const NONCE_BYTES = 16;

export function issueGrantToken(key: KeyRecord, grantId: string): string {
  const body = Buffer.from(`${key.region}/${key.keyId}/${grantId}`, 'utf8');
  return Buffer.concat([Buffer.of(VERSION), crypto.randomBytes(NONCE_BYTES), body]).toString('base64url');
}

/** The grant a token names, or undefined when it is malformed or its grant (or key) is gone. */
export function grantOfToken(store: Store, token: string): { key: KeyRecord; grant: GrantRecord } | undefined {
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= 1 + NONCE_BYTES || raw[0] !== VERSION || raw.toString('base64url') !== token) return undefined;
  const [region, keyId, grantId, ...rest] = raw.subarray(1 + NONCE_BYTES).toString('utf8').split('/');
  if (rest.length > 0 || !region || !keyId || !grantId) return undefined;
  const key = store.key(region, keyId);
  const grant = key?.grants?.find((g) => g.grantId === grantId);
  return key && grant ? { key, grant } : undefined;
}

export const invalidGrantToken = () => new InvalidGrantTokenException('The grant token is not valid: it is malformed, or its grant was retired or revoked.');

/** Throws InvalidGrantTokenException unless every token names an existing grant. */
export function checkGrantTokens(store: Store, tokens: readonly string[] | undefined): void {
  if (!tokens) return;
  for (const token of tokens) if (!grantOfToken(store, token)) throw invalidGrantToken();
}
