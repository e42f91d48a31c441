/**
 * What the OIDC route handlers share: the state cookie's name and options, the flow for this process, and
 * redirects that never carry a token or the provider's own error text.
 */
import 'server-only';
import { getConfig } from '@/lib/config';
import { servedOverHttps } from '@/lib/security/headers';
import { getOidcConfig, type OidcConfig, type OidcErrorCode } from './oidc-config';
import { OIDC_STATE_MAX_AGE, stateKey, type OidcFlow } from './oidc';

const PLAIN_COOKIE = 'keydeck_oidc';
const SECURE_COOKIE = '__Host-keydeck_oidc';

/** The flow of this process, or null when OIDC sign-in is not configured. */
export function oidcFlow(): OidcFlow | null {
  const config = getOidcConfig();
  if (!config) return null;
  return { config, key: stateKey(config, getConfig().dataDir) };
}

/**
 * True when the browser reaches the console over https: per KEYDECK_PUBLIC_URL, or the trusted proxy's
 * X-Forwarded-Proto (the same detection as HSTS). Not the request URL's scheme: Next derives it from
 * X-Forwarded-Proto, which any client can send.
 */
export function isHttps(request: Request, config: OidcConfig, trustProxy = getConfig().trustProxy ?? false): boolean {
  if (config.publicUrl?.startsWith('https:')) return true;
  return servedOverHttps(request.headers, trustProxy);
}

export function stateCookie(secure: boolean, value: string) {
  return {
    name: secure ? SECURE_COOKIE : PLAIN_COOKIE,
    value,
    httpOnly: true,
    secure,
    // Lax: the provider's redirect back is a top-level GET from another site, which Lax lets through.
    sameSite: 'lax' as const,
    path: '/',
    maxAge: OIDC_STATE_MAX_AGE,
  };
}

export const STATE_COOKIE_NAMES = { plain: PLAIN_COOKIE, secure: SECURE_COOKIE } as const;

/**
 * A 303 to a path of this console. The Location is relative, so a proxy in front (KEYDECK_PUBLIC_URL) needs
 * no rewriting; `path` comes from safeNextPath or is a fixed sign-in path.
 */
export function redirectTo(path: string): Response {
  return new Response(null, { status: 303, headers: { location: path, 'cache-control': 'no-store' } });
}

export function signInError(code: OidcErrorCode): Response {
  return redirectTo(`/signin?error=${code}`);
}
