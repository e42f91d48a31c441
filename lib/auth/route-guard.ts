/**
 * The role check of route handlers: `export const GET = withRole('viewer', get)` answers 401 (not
 * signed in) or 403 (role too low) as JSON `{ __type, message }`, the way KMS answers, before the handler runs.
 */
import 'server-only';
import { consoleContext } from '@/lib/kms/scope';
import { accountAllowed, accountRefusalMessage } from './account-scope';
import type { Role } from './roles';
import { AuthError, requireRole } from './session';

const refusal = (name: string, message: string, status: number) => Response.json({ __type: name, message }, { status, headers: { 'cache-control': 'no-store' } });

/**
 * Also holds a scoped user to their accounts: the request's `?account=`, else the console's default
 * account. `{ accountScoped: false }` for a route that reads no account's data (the console's audit log).
 */
export function withRole<A extends unknown[]>(
  role: Role,
  handler: (request: Request, ...rest: A) => Promise<Response>,
  options: { accountScoped?: boolean } = {},
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      const user = await requireRole(role);
      if (options.accountScoped !== false) {
        const account = new URL(request.url).searchParams.get('account') ?? consoleContext().account;
        if (!accountAllowed(user, account)) return refusal('AccessDeniedException', accountRefusalMessage(user, account), 403);
      }
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return refusal(error.name, error.message, error.status);
    }
    return handler(request, ...rest);
  };
}
