/**
 * GET /api/auth/oidc/callback — where the identity provider sends the browser back: completes the flow, maps
 * the groups to a role, signs the user in and returns to the page they asked for; on any failure, to
 * /signin?error=<code> (never a token or the provider's raw error in the URL; the detail goes to the server log).
 */
import { cookies } from 'next/headers';
import { completeOidcSignIn, OidcSignInError } from '@/lib/auth/oidc';
import { OIDC_ERROR_MESSAGES } from '@/lib/auth/oidc-config';
import { oidcFlow, redirectTo, signInError, STATE_COOKIE_NAMES } from '@/lib/auth/oidc-http';
import { recordSignIn } from '@/lib/audit/record';
import { signIn } from '@/lib/auth/session';

export async function GET(request: Request): Promise<Response> {
  const flow = oidcFlow();
  if (!flow) return signInError('oidc_not_configured');
  const jar = await cookies();
  const sealed = jar.get(STATE_COOKIE_NAMES.secure)?.value ?? jar.get(STATE_COOKIE_NAMES.plain)?.value;
  // One use only, whatever happens next.
  if (jar.has(STATE_COOKIE_NAMES.plain)) jar.delete(STATE_COOKIE_NAMES.plain);
  if (jar.has(STATE_COOKIE_NAMES.secure)) jar.delete({ name: STATE_COOKIE_NAMES.secure, path: '/', secure: true });
  try {
    const { identity, next } = await completeOidcSignIn(flow, { callbackUrl: new URL(request.url), cookie: sealed });
    await recordSignIn({ ok: true, user: await signIn(identity) });
    return redirectTo(next);
  } catch (error) {
    const refusal = error instanceof OidcSignInError ? error : new OidcSignInError('oidc_failed', error instanceof Error ? error.message.slice(0, 300) : 'unknown error');
    console.warn(`keydeck: OIDC sign-in refused (${refusal.code}): ${refusal.detail}`);
    await recordSignIn({ ok: false, provider: 'oidc', tried: '', errorName: refusal.code, errorMessage: OIDC_ERROR_MESSAGES[refusal.code] });
    return signInError(refusal.code);
  }
}
