/**
 * Users and sessions in Keydeck's store, without any Next.js: what the sign-in routes, the session
 * cookie glue (`session.ts`) and the tests share.
 *
 * A session is a random 256-bit token held by the browser in an HTTP-only cookie; the store keeps only
 * its SHA-256, so a copy of the database signs nobody in. A session ends at sign-out, at "sign out
 * everywhere", after `idleSeconds` without a request, or `absoluteSeconds` after sign-in.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@/lib/store/schema';
import type { Role } from './roles';

export type Provider = 'local' | 'oidc' | 'demo';

/** Who signs in, as a provider describes them. */
export interface Identity {
  provider: Provider;
  /** The local user name, `<issuer>#<sub>` for OpenID Connect, or the persona's name. */
  subject: string;
  name: string;
  email: string | null;
  role: Role;
  /** The account names the user may see (per-account scoping); null for all. */
  accounts: string[] | null;
}

export interface SessionUser extends Identity {
  id: string;
}

export interface SessionRecord {
  user: SessionUser;
  createdAt: number;
  lastSeenAt: number;
  ip: string;
  userAgent: string;
}

export interface SessionTimeouts {
  idleSeconds: number;
  absoluteSeconds: number;
}

/** Where a sign-in came from, kept with the session and shown in the audit log. */
export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** last_seen_at is written at most this often (seconds): a page's many reads need not each write. */
const TOUCH_EVERY = 60;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

type UserRow = Database['auth_users'];

export function userFromRow(row: Pick<UserRow, 'id' | 'provider' | 'subject' | 'name' | 'email' | 'role' | 'accounts'>): SessionUser {
  return {
    id: row.id,
    provider: row.provider,
    subject: row.subject,
    name: row.name,
    email: row.email === '' ? null : row.email,
    role: row.role,
    accounts: row.accounts === '' ? null : row.accounts.split(','),
  };
}

/**
 * The user of this identity, created on first sign-in. Name, email, role and accounts follow the
 * provider on every sign-in (an OIDC group change takes effect at the next sign-in).
 */
export async function upsertUser(db: Kysely<Database>, identity: Identity, now: number): Promise<SessionUser> {
  const values = {
    name: identity.name,
    email: identity.email ?? '',
    role: identity.role,
    accounts: identity.accounts?.join(',') ?? '',
    updated_at: now,
  };
  const existing = await db
    .selectFrom('auth_users')
    .select('id')
    .where('provider', '=', identity.provider)
    .where('subject', '=', identity.subject)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('auth_users').set(values).where('id', '=', existing.id).execute();
    return { ...identity, id: existing.id };
  }
  const id = crypto.randomUUID();
  // Two first sign-ins of the same identity at once: the unique (provider, subject) keeps one row.
  await db
    .insertInto('auth_users')
    .values({ id, provider: identity.provider, subject: identity.subject, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
    .execute();
  const row = await db.selectFrom('auth_users').selectAll().where('provider', '=', identity.provider).where('subject', '=', identity.subject).executeTakeFirstOrThrow();
  return userFromRow(row);
}

/** Starts a session for the user; returns the token for the cookie (never stored, never logged). */
export async function createSession(db: Kysely<Database>, userId: string, client: ClientInfo, now: number): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db
    .insertInto('auth_sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      ip: client.ip.slice(0, 64),
      user_agent: client.userAgent.slice(0, 512),
      revoked_at: 0,
    })
    .execute();
  return token;
}

/** The live session of a token, or null when it is unknown, revoked, idle too long or too old. */
export async function readSession(db: Kysely<Database>, token: string, timeouts: SessionTimeouts, now: number): Promise<SessionRecord | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('auth_sessions as s')
    .innerJoin('auth_users as u', 'u.id', 's.user_id')
    .select(['s.created_at', 's.last_seen_at', 's.ip', 's.user_agent', 's.revoked_at', 'u.id', 'u.provider', 'u.subject', 'u.name', 'u.email', 'u.role', 'u.accounts'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.revoked_at !== 0) return null;
  if (now - row.last_seen_at > timeouts.idleSeconds || now - row.created_at > timeouts.absoluteSeconds) return null;
  let lastSeenAt = row.last_seen_at;
  if (now - lastSeenAt >= TOUCH_EVERY) {
    await db.updateTable('auth_sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    lastSeenAt = now;
  }
  return { user: userFromRow(row), createdAt: row.created_at, lastSeenAt, ip: row.ip, userAgent: row.user_agent };
}

/** Ends one session (sign-out). */
export async function revokeSession(db: Kysely<Database>, token: string, now: number): Promise<void> {
  await db.updateTable('auth_sessions').set({ revoked_at: now }).where('token_hash', '=', hashToken(token)).where('revoked_at', '=', 0).execute();
}

/** Ends every session of a user (sign out everywhere); returns how many were live. */
export async function revokeAllSessions(db: Kysely<Database>, userId: string, now: number): Promise<number> {
  const result = await db.updateTable('auth_sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', '=', 0).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes sessions that can no longer be used (housekeeping; the audit log keeps the history). */
export async function pruneSessions(db: Kysely<Database>, timeouts: SessionTimeouts, now: number): Promise<number> {
  const result = await db
    .deleteFrom('auth_sessions')
    .where((eb) => eb.or([eb('revoked_at', '>', 0), eb('created_at', '<', now - timeouts.absoluteSeconds), eb('last_seen_at', '<', now - timeouts.idleSeconds)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
