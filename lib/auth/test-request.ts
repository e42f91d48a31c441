/**
 * For Vitest: server code that reads the request (the session cookie, the caller's address) runs outside
 * Next.js there. A test file stands next/headers in with this, and signs in for real: the session is made
 * in the store the code under test opens, so the real role check and audit actor read it.
 *
 *   vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);
 *   await signInForTest('operator');
 */
import { sharedStore } from '@/lib/store/shared';
import { PLAIN_SESSION_COOKIE } from './cookie-names';
import type { Role } from './roles';
import { createSession, upsertUser, type SessionUser } from './sessions';

/** A cookie the code under test set: `cookies().set(name, value, options)`. */
export interface SetCookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  path?: string;
  maxAge?: number;
}

/**
 * `ip` is the session record's address for signInForTest; the code under test sees a TCP peer only inside
 * runWithPeerAddress (lib/security/peer-address.ts), as in Next. `headers` are further request headers
 * (a forged X-Forwarded-For …); `setCookies` collects what the code set.
 */
export const testRequest = { token: '', ip: '198.51.100.4', userAgent: 'vitest', headers: {} as Record<string, string>, setCookies: [] as SetCookie[] };

export const nextHeaders = {
  cookies: async () => ({
    get: (name: string) => (name === PLAIN_SESSION_COOKIE && testRequest.token ? { name, value: testRequest.token } : undefined),
    set: (cookie: SetCookie | string, value?: string, options?: Omit<SetCookie, 'name' | 'value'>) => {
      testRequest.setCookies.push(typeof cookie === 'string' ? { name: cookie, value: value ?? '', ...options } : cookie);
    },
    delete: () => undefined,
  }),
  headers: async () => new Headers({ ...testRequest.headers, 'user-agent': testRequest.userAgent }),
};

/** Signs a local user named `<role> one` in (limited to `accounts` when given): later server code in this test sees them as the caller. */
export async function signInForTest(role: Role, accounts: string[] | null = null): Promise<SessionUser> {
  const { db } = await sharedStore();
  const now = Math.floor(Date.now() / 1000);
  const user = await upsertUser(db, { provider: 'local', subject: `${role}-1`, name: `${role} one`, email: null, role, accounts }, now);
  testRequest.token = await createSession(db, user.id, { ip: testRequest.ip, userAgent: testRequest.userAgent }, now);
  return user;
}

/** Signs the test's caller out (the next server call is anonymous). */
export function signOutForTest(): void {
  testRequest.token = '';
}
