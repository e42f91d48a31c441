/**
 * The role check of route handlers: `export const GET = withRole('viewer', get)` answers 401 (not
 * signed in) or 403 (role too low) as JSON `{ __type, message }`, the way KMS answers, before the handler runs.
 */
import 'server-only';
import type { Role } from './roles';
import { AuthError, requireRole } from './session';

export function withRole<A extends unknown[]>(role: Role, handler: (request: Request, ...rest: A) => Promise<Response>): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      await requireRole(role);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return Response.json({ __type: error.name, message: error.message }, { status: error.status, headers: { 'cache-control': 'no-store' } });
    }
    return handler(request, ...rest);
  };
}
