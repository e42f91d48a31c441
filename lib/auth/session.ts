/**
 * The session cookie, for server components, server actions and route handlers: who is signed in,
 * sign-in, sign-out and sign-out everywhere. The store side is `sessions.ts`.
 *
 * The cookie is HTTP-only, SameSite=Lax (a link from another site opens the console signed in, but no
 * other site can post with it), Secure and `__Host-` prefixed when the console is served over https.
 */
import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { getConfig } from '@/lib/config';
import { clientAddress } from '@/lib/security/client-address';
import { servedOverHttps } from '@/lib/security/headers';
import { peerAddress } from '@/lib/security/peer-address';
import { sharedStore } from '@/lib/store/shared';
import { PLAIN_SESSION_COOKIE, SECURE_SESSION_COOKIE } from './cookie-names';
import { roleAllows, type Role } from './roles';
import { createSession, readSession, revokeAllSessions, revokeSession, upsertUser, type ClientInfo, type Identity, type SessionRecord, type SessionUser } from './sessions';

export type { Identity, SessionRecord, SessionUser } from './sessions';

const PLAIN_COOKIE = PLAIN_SESSION_COOKIE;
const SECURE_COOKIE = SECURE_SESSION_COOKIE;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * True when the browser reached the console over https: the same trusted detection as HSTS (proxy.ts), so
 * a client's own X-Forwarded-Proto cannot switch the cookie to `__Host-`/Secure or off it.
 */
async function isHttps(): Promise<boolean> {
  return servedOverHttps(await headers(), getConfig().trustProxy ?? false);
}

/**
 * The caller's address and browser, for the session record, the audit log and the sign-in rate limit. The
 * address is the TCP peer's, or the trusted proxy's X-Forwarded-For entry (lib/security/client-address.ts);
 * never a header the client wrote itself.
 */
export async function clientInfo(): Promise<ClientInfo> {
  const h = await headers();
  const ip = clientAddress(h, getConfig().trustProxy ?? false, peerAddress());
  return { ip, userAgent: h.get('user-agent') ?? '' };
}

async function sessionToken(): Promise<string | undefined> {
  const jar = await cookies();
  return jar.get(SECURE_COOKIE)?.value ?? jar.get(PLAIN_COOKIE)?.value;
}

/** The signed-in session of this request, or null. Read once per request. */
export const currentSession = cache(async (): Promise<SessionRecord | null> => {
  const token = await sessionToken();
  if (!token) return null;
  const store = await sharedStore();
  return readSession(store.db, token, getConfig().session, nowSeconds());
});

/** The signed-in user of this request, or null. */
export async function currentUser(): Promise<SessionUser | null> {
  return (await currentSession())?.user ?? null;
}

/** Signs `identity` in: creates or updates the user, starts a session and sets its cookie. */
export async function signIn(identity: Identity): Promise<SessionUser> {
  const store = await sharedStore();
  const now = nowSeconds();
  const user = await upsertUser(store.db, identity, now);
  await startSession(user);
  return user;
}

/** Starts a session for a user already in the store (a local account whose password was checked). */
export async function startSession(user: SessionUser): Promise<void> {
  const store = await sharedStore();
  const token = await createSession(store.db, user.id, await clientInfo(), nowSeconds());
  const secure = await isHttps();
  const jar = await cookies();
  jar.set(secure ? SECURE_COOKIE : PLAIN_COOKIE, token, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    maxAge: getConfig().session.absoluteSeconds,
  });
}

/** Signs this browser out. */
export async function signOut(): Promise<void> {
  const token = await sessionToken();
  if (token) {
    const store = await sharedStore();
    await revokeSession(store.db, token, nowSeconds());
  }
  const jar = await cookies();
  jar.delete(PLAIN_COOKIE);
  jar.delete({ name: SECURE_COOKIE, path: '/', secure: true });
}

/** Signs the current user out of every browser; returns how many sessions ended. */
export async function signOutEverywhere(): Promise<number> {
  const user = await currentUser();
  if (!user) return 0;
  const store = await sharedStore();
  const ended = await revokeAllSessions(store.db, user.id, nowSeconds());
  await signOut();
  return ended;
}

/** Why a request was refused: not signed in (401) or signed in without the role (403). */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = status === 401 ? 'UnauthenticatedException' : 'AccessDeniedException';
  }
}

/** The signed-in user if their role allows `needed`; throws AuthError otherwise. */
export async function requireRole(needed: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AuthError(401, 'Sign in to Keydeck first.');
  if (!roleAllows(user.role, needed)) throw new AuthError(403, `This needs the ${needed} role; ${user.name} is ${user.role === 'admin' ? 'an' : 'a'} ${user.role}.`);
  return user;
}
