/**
 * Canonical URLs without a trailing slash. next.config.mjs turns Next's own redirect off so that
 * `/api/kms/` — where AWS SDKs post for an endpoint of `<origin>/api/kms` — is served, not redirected.
 * Then sign-in (lib/auth/proxy-check.ts): console pages without a session cookie go to /signin?next=….
 */
import { NextResponse, type NextRequest } from 'next/server';
import { signInRedirect, withPathHeader } from '@/lib/auth/proxy-check';

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname.length > 1 && pathname.endsWith('/')) {
    // A plain URL: NextURL would put the trailing slash back when serialised.
    const url = new URL(request.url);
    url.pathname = pathname.replace(/\/+$/, '') || '/';
    return NextResponse.redirect(url, 308);
  }
  const toSignIn = signInRedirect(request);
  if (toSignIn) return toSignIn;
  return NextResponse.next({ request: { headers: withPathHeader(request) } });
}

export const config = {
  // Never the emulator's endpoint or Next's own assets.
  matcher: ['/((?!api/kms|_next/).*)'],
};
