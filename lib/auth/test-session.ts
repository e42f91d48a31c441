/**
 * For unit tests of server actions: a stand-in for lib/auth/session, whose session comes from the
 * request's cookie (next/headers), which a unit test has not. The test sets the signed-in role in a
 * `vi.hoisted` holder; the real roleAllows decides, with the same errors as the real module. The e2e
 * specs check the same refusals through a real session.
 *
 *   const signedIn = vi.hoisted(() => ({ role: null as Role | null }));
 *   vi.mock('@/lib/auth/session', async () => (await import('@/lib/auth/test-session')).fakeSession(signedIn));
 */
import { roleAllows, type Role } from './roles';

export function fakeSession(signedIn: { role: Role | null }) {
  class AuthError extends Error {
    constructor(
      readonly status: 401 | 403,
      message: string,
    ) {
      super(message);
      this.name = status === 401 ? 'UnauthenticatedException' : 'AccessDeniedException';
    }
  }
  return {
    AuthError,
    currentUser: async () => (signedIn.role ? { id: `u-${signedIn.role}`, name: signedIn.role, role: signedIn.role, accounts: null } : null),
    requireRole: async (needed: Role) => {
      if (!signedIn.role) throw new AuthError(401, 'Sign in to Keydeck first.');
      if (!roleAllows(signedIn.role, needed)) throw new AuthError(403, `This needs the ${needed} role.`);
      return { role: signedIn.role, accounts: null };
    },
  };
}
