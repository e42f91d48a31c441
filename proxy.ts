/**
 * Runs before every route: refuses cross-origin writes, caps the emulator endpoint's body, gives each
 * page a fresh CSP nonce, sets the security headers, keeps URLs canonical (no trailing slash), and sends
 * a console page asked for without a session cookie to sign-in (lib/auth/proxy-check.ts; an optimistic
 * check only — the layout, defineAction and the route handlers check the session for real).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { signInRedirect, withPathHeader } from '@/lib/auth/proxy-check';
import { getConfig } from '@/lib/config';
import { declaredTooLarge, KMS_MAX_BODY_BYTES, payloadTooLargeResponse, SERVER_ACTION_MAX_BODY_BYTES } from '@/lib/security/body-limit';
import { API_CSP, createNonce, pageCsp, securityHeaders, servedOverHttps } from '@/lib/security/headers';
import { crossOriginRefusal, forbiddenResponse } from '@/lib/security/origin';

/** The emulator's AWS JSON endpoint; SDKs post to `/api/kms/` (see next.config.mjs), so both forms are served. */
const KMS_ENDPOINT = /^\/api\/kms\/?$/;

function withHeaders<R extends Response>(response: R, headers: Record<string, string>): R {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const config = getConfig();
  const https = servedOverHttps(request.headers, config.trustProxy ?? false);
  const apiHeaders = securityHeaders({ csp: API_CSP, https });

  // Before anything runs: a browser on another site may read nothing here and change nothing.
  const refusal = crossOriginRefusal({ method: request.method, headers: request.headers, allowedOrigins: config.allowedOrigins ?? [] });
  if (refusal) return withHeaders(forbiddenResponse(refusal), apiHeaders);

  if (KMS_ENDPOINT.test(pathname)) {
    // A declared oversize body is refused unread; a chunked one is capped as it streams (app/api/kms/route.ts).
    if (request.method === 'POST' && declaredTooLarge(request.headers, KMS_MAX_BODY_BYTES)) return withHeaders(payloadTooLargeResponse(KMS_MAX_BODY_BYTES), apiHeaders);
    return withHeaders(NextResponse.next(), apiHeaders);
  }

  if (request.headers.has('next-action') && declaredTooLarge(request.headers, SERVER_ACTION_MAX_BODY_BYTES)) {
    return withHeaders(payloadTooLargeResponse(SERVER_ACTION_MAX_BODY_BYTES), apiHeaders);
  }

  if (pathname.length > 1 && pathname.endsWith('/')) {
    // A plain URL: NextURL would put the trailing slash back when serialised.
    const url = new URL(request.url);
    url.pathname = pathname.replace(/\/+$/, '') || '/';
    return withHeaders(NextResponse.redirect(url, 308), apiHeaders);
  }

  if (pathname === '/api' || pathname.startsWith('/api/')) return withHeaders(NextResponse.next(), apiHeaders);

  const toSignIn = signInRedirect(request);
  if (toSignIn) return withHeaders(toSignIn, apiHeaders);

  // A page (or its RSC payload): Next reads the nonce from the request's CSP header and puts it on its
  // own scripts; the root layout reads x-nonce for the theme script.
  const nonce = createNonce();
  const csp = pageCsp({ nonce, dev: process.env.NODE_ENV === 'development', https });
  const requestHeaders = withPathHeader(request);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), securityHeaders({ csp, https }));
}

export const config = {
  // Every route, API ones included (the cross-origin refusal must see them), but not the build's static
  // files and icons, which need no nonce (Next's CSP guide) and get their own headers in next.config.mjs.
  // Prefetches are not skipped: the refusal must not depend on a header a client chooses to send.
  matcher: ['/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|robots\\.txt).*)'],
};
