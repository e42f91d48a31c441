/** GET /api/auth/oidc/start?next=/keys — sends the browser to the identity provider, with the flow's state in a sealed cookie. */
import { cookies } from 'next/headers';
import { beginOidcSignIn, OidcSignInError, redirectUriFor } from '@/lib/auth/oidc';
import { isHttps, oidcFlow, signInError, stateCookie } from '@/lib/auth/oidc-http';

export async function GET(request: Request): Promise<Response> {
  const flow = oidcFlow();
  if (!flow) return signInError('oidc_not_configured');
  const next = new URL(request.url).searchParams.get('next');
  try {
    const { url, cookie } = await beginOidcSignIn(flow, { redirectUri: redirectUriFor(flow.config, request.url), next });
    (await cookies()).set(stateCookie(isHttps(request, flow.config), cookie));
    return new Response(null, { status: 303, headers: { location: url.toString(), 'cache-control': 'no-store' } });
  } catch (error) {
    if (!(error instanceof OidcSignInError)) throw error;
    console.warn(`keydeck: OIDC sign-in could not start (${error.code}): ${error.detail}`);
    return signInError(error.code);
  }
}
