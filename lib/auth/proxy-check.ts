/**
 * The sign-in part of `proxy.ts`: a console page requested without a session cookie is redirected to
 * `/signin?next=<path>` before any of it renders, and every request carries its path (`x-keydeck-path`)
 * so the console layout, which checks the session for real, can send an expired session back here too.
 * Only the cookie's presence is checked here (no store access in the proxy); route handlers and server
 * actions check the session and role themselves.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { PLAIN_SESSION_COOKIE, SECURE_SESSION_COOKIE } from './cookie-names';
import { signInPathFor } from './next-path';

export const PATH_HEADER = 'x-keydeck-path';

/** Paths that are not console pages: the sign-in page, the API (answers 401 itself), Next's files and the icons. */
const PUBLIC = /^\/(signin(\/|$)|api\/|_next\/|icon\.svg$|favicon\.ico$|robots\.txt$)/;

/** A redirect to sign-in when a console page is asked for without a session cookie; null to go on. */
export function signInRedirect(request: NextRequest): NextResponse | null {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.test(pathname)) return null;
  if (request.cookies.has(PLAIN_SESSION_COOKIE) || request.cookies.has(SECURE_SESSION_COOKIE)) return null;
  // Only GET/HEAD are page loads; a server action's POST is refused by the action itself with a typed result.
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  return NextResponse.redirect(new URL(signInPathFor(`${pathname}${search}`), request.url), 307);
}

/** The request headers to pass on, with the path the console layout reads for `?next=`. */
export function withPathHeader(request: NextRequest, headers = new Headers(request.headers)): Headers {
  headers.set(PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return headers;
}
