/**
 * Local accounts (provider `local`) for small teams without an OpenID Connect provider: scrypt password
 * hashes, sign-in with lockout, and the user management behind `npm run users`. No Next.js here.
 *
 * Hash format `scrypt$N$r$p$salt$hash` (salt and hash base64url) so the cost can be raised later without
 * breaking stored hashes. N=2^14, r=8, p=1 is scrypt's interactive-login setting (RFC 7914 §2, Percival):
 * 16 MiB and ~100 ms per hash on a busy 2-core machine (measured), so a sign-in stays quick while an offline guess costs
 * the same; Node's libuv pool (4 threads) bounds a burst of sign-ins to 64 MiB.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '@/lib/store/schema';
import type { Role } from './roles';
import { userFromRow, type SessionUser } from './sessions';

const scrypt = promisify(crypto.scrypt) as (password: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

export const SCRYPT = { N: 2 ** 14, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
/** scrypt needs 128·N·r bytes; this leaves room above the 16 MiB of our setting (Node's default cap is 32 MiB). */
const MAX_MEM = 64 * 1024 * 1024;
/** Stored hashes with a higher cost than this are refused rather than computed (a tampered row must not stall the server). */
const MAX_N = 2 ** 20;

export const MIN_PASSWORD_LENGTH = 12;
/** Longer inputs are refused before hashing: scrypt's cost grows with the password's length. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_SECONDS = 15 * 60;

const USER_NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** A user name as stored: trimmed and lower case, so `Alice` and `alice` are one account. */
export function normalizeUserName(name: string): string {
  return name.trim().toLowerCase();
}

/** Why a user name cannot be used, or null when it can. */
export function userNameProblem(name: string): string | null {
  return USER_NAME.test(normalizeUserName(name)) ? null : 'A user name is 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.';
}

/** Why a password cannot be used, or null when it can. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `A password has at most ${MAX_PASSWORD_LENGTH} characters.`;
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(SCRYPT.saltLength);
  const hash = await scrypt(password.normalize('NFC'), salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: MAX_MEM });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: Math.max(MAX_MEM, 256 * N * r) });
  return crypto.timingSafeEqual(actual, expected);
}

// Unknown users are checked against this, so every sign-in costs one scrypt whether the user exists or not.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(crypto.randomBytes(18).toString('base64url')));

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; until: number };

/**
 * Checks a local user's password. Unknown user and wrong password give the same answer after the same
 * work; the fifth failure in a row locks the account for 15 minutes; a success clears the count.
 */
export async function authenticateLocal(db: Kysely<Database>, userName: string, password: string, now: number): Promise<SignInResult> {
  const subject = normalizeUserName(userName);
  const row = USER_NAME.test(subject)
    ? await db.selectFrom('auth_users').selectAll().where('provider', '=', 'local').where('subject', '=', subject).executeTakeFirst()
    : undefined;
  const usable = password.length <= MAX_PASSWORD_LENGTH;
  const matches = await verifyPassword(usable ? password : '', row?.password_hash || (await dummy()));
  if (!row || !row.password_hash || !usable) return { ok: false, reason: 'invalid' };
  if (row.locked_until > now) return { ok: false, reason: 'locked', until: row.locked_until };
  if (matches) {
    if (row.failed_sign_ins !== 0 || row.locked_until !== 0) await db.updateTable('auth_users').set({ failed_sign_ins: 0, locked_until: 0 }).where('id', '=', row.id).execute();
    return { ok: true, user: userFromRow(row) };
  }
  // Counted in the database, so concurrent wrong guesses each count.
  await db.updateTable('auth_users').set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) })).where('id', '=', row.id).execute();
  const { failed_sign_ins } = await db.selectFrom('auth_users').select('failed_sign_ins').where('id', '=', row.id).executeTakeFirstOrThrow();
  if (failed_sign_ins >= MAX_FAILED_SIGN_INS) {
    const until = now + LOCKOUT_SECONDS;
    await db.updateTable('auth_users').set({ failed_sign_ins: 0, locked_until: until }).where('id', '=', row.id).execute();
    return { ok: false, reason: 'locked', until };
  }
  return { ok: false, reason: 'invalid' };
}

export interface NewLocalUser {
  name: string;
  role: Role;
  email?: string | null;
  accounts?: string[] | null;
  password: string;
}

export class LocalAccountError extends Error {
  override name = 'LocalAccountError';
}

function check(problem: string | null): void {
  if (problem) throw new LocalAccountError(problem);
}

export async function addLocalUser(db: Kysely<Database>, user: NewLocalUser, now: number): Promise<SessionUser> {
  check(userNameProblem(user.name));
  check(passwordProblem(user.password));
  const subject = normalizeUserName(user.name);
  const existing = await db.selectFrom('auth_users').select('id').where('provider', '=', 'local').where('subject', '=', subject).executeTakeFirst();
  if (existing) throw new LocalAccountError(`A local user named ${subject} already exists.`);
  const id = crypto.randomUUID();
  await db
    .insertInto('auth_users')
    .values({
      id,
      provider: 'local',
      subject,
      name: subject,
      email: user.email ?? '',
      role: user.role,
      accounts: user.accounts?.join(',') ?? '',
      password_hash: await hashPassword(user.password),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, provider: 'local', subject, name: subject, email: user.email ?? null, role: user.role, accounts: user.accounts ?? null };
}

export interface LocalUserListing extends SessionUser {
  lockedUntil: number;
  failedSignIns: number;
}

export async function listLocalUsers(db: Kysely<Database>): Promise<LocalUserListing[]> {
  const rows = await db.selectFrom('auth_users').selectAll().where('provider', '=', 'local').orderBy('subject').execute();
  return rows.map((row) => ({ ...userFromRow(row), lockedUntil: row.locked_until, failedSignIns: row.failed_sign_ins }));
}

async function localUserId(db: Kysely<Database>, name: string): Promise<string> {
  const row = await db.selectFrom('auth_users').select('id').where('provider', '=', 'local').where('subject', '=', normalizeUserName(name)).executeTakeFirst();
  if (!row) throw new LocalAccountError(`No local user named ${normalizeUserName(name)}.`);
  return row.id;
}

export async function setLocalUserRole(db: Kysely<Database>, name: string, role: Role, now: number): Promise<void> {
  const id = await localUserId(db, name);
  await db.updateTable('auth_users').set({ role, updated_at: now }).where('id', '=', id).execute();
}

export async function unlockLocalUser(db: Kysely<Database>, name: string, now: number): Promise<void> {
  const id = await localUserId(db, name);
  await db.updateTable('auth_users').set({ failed_sign_ins: 0, locked_until: 0, updated_at: now }).where('id', '=', id).execute();
}

/** Sets a new password, clears a lockout and ends the user's sessions (whoever knew the old one is out). */
export async function resetLocalPassword(db: Kysely<Database>, name: string, password: string, now: number): Promise<void> {
  check(passwordProblem(password));
  const id = await localUserId(db, name);
  await db.updateTable('auth_users').set({ password_hash: await hashPassword(password), failed_sign_ins: 0, locked_until: 0, updated_at: now }).where('id', '=', id).execute();
  await db.updateTable('auth_sessions').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', '=', 0).execute();
}

/** Removes the user and their sessions. */
export async function removeLocalUser(db: Kysely<Database>, name: string): Promise<void> {
  const id = await localUserId(db, name);
  await db.deleteFrom('auth_sessions').where('user_id', '=', id).execute();
  await db.deleteFrom('auth_users').where('id', '=', id).execute();
}
