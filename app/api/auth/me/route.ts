/** GET /api/auth/me — the signed-in user (id, name, email, role, provider, accounts), or 401 UnauthenticatedException. */
import { currentUser } from '@/lib/auth/session';

const NO_STORE = { 'cache-control': 'no-store' };

export async function GET(): Promise<Response> {
  const user = await currentUser();
  if (!user) return Response.json({ __type: 'UnauthenticatedException', message: 'Sign in to Keydeck first.' }, { status: 401, headers: NO_STORE });
  const { id, name, email, role, provider, accounts } = user;
  return Response.json({ id, name, email, role, provider, accounts }, { headers: NO_STORE });
}
