/**
 * The security headers of every response: a nonce-based Content-Security-Policy for pages, a
 * lock-everything policy for API answers, and the rest of the usual set. Pure, used by proxy.ts.
 */

/** 128 random bits, base64: a fresh one per page request, so an injected script cannot guess it. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export interface PageCspOptions {
  nonce: string;
  /** `next dev` only: React rebuilds server error stacks in the browser with eval. Never in production. */
  dev?: boolean;
  /** Served over https: ask the browser to upgrade any http subresource (on plain http it would break every request). */
  https?: boolean;
}

/**
 * The policy of an HTML page.
 * - script-src: only scripts carrying this response's nonce (Next puts it on its own and on the theme
 *   script); 'strict-dynamic' lets them load Next's chunks. 'self' is for browsers without
 *   'strict-dynamic' (CSP2), which ignore the nonce-less rest either way.
 * - style-src 'unsafe-inline': the console's styles come from its own stylesheet, but inline styles are
 *   needed at run time — CodeMirror (style-mod) and Radix's scroll lock (react-style-singleton) insert
 *   <style> elements without our nonce, and the virtualized key table, uPlot's charts and Radix place
 *   elements with style="" attributes that are in the server-rendered HTML. A nonce here would switch
 *   'unsafe-inline' off and break all of them. What inline CSS could still do is limited: it cannot run
 *   script, and it cannot send anything out, since img-src, font-src and connect-src allow only this
 *   origin (CSS exfiltration needs a url() to another host).
 * - img-src data: blob: for small inline images and object URLs; connect-src 'self' (route handlers,
 *   server actions, RSC); worker-src 'self': the envelope encryption runs WebCrypto, which uses the
 *   browser's own threads, so no worker script is loaded today and none may come from elsewhere.
 * - object-src/base-uri/frame-ancestors 'none', form-action 'self': no plugins, no <base> hijack, no
 *   framing (also X-Frame-Options for old browsers), forms post only here.
 */
export function pageCsp({ nonce, dev = false, https = false }: PageCspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ];
  if (https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** JSON, CSV and file downloads are never documents to render: nothing may load, nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Referrer-Policy: same-origin. `no-referrer` would make browsers send `Origin: null` on the console's
 * own POSTs (the Fetch standard derives a non-CORS request's Origin from the referrer policy), which
 * defeats the Origin check of server actions and of proxy.ts; `strict-origin-when-cross-origin` would
 * still tell every outside site (AWS documentation links) the console's internal host name. With
 * `same-origin` the console's own requests carry their full origin and other sites get nothing.
 */
export const REFERRER_POLICY = 'same-origin';

/** Powerful features the console never uses are off for it and anything it might embed; clipboard writes are its copy buttons. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'bluetooth=()',
  'screen-wake-lock=()',
  'xr-spatial-tracking=()',
  'clipboard-read=()',
  'clipboard-write=(self)',
  'fullscreen=(self)',
  'publickey-credentials-get=(self)',
].join(', ');

/** Two years, subdomains included: what hstspreload.org asks for. Sent only on https answers (browsers ignore it on http anyway). */
export const HSTS = 'max-age=63072000; includeSubDomains';

export interface SecurityHeaderOptions {
  /** The Content-Security-Policy to send (pageCsp(...) or API_CSP). */
  csp: string;
  https: boolean;
}

/** Every header of the hardening set, for one response. */
export function securityHeaders({ csp, https }: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': REFERRER_POLICY,
    'permissions-policy': PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (https) headers['strict-transport-security'] = HSTS;
  return headers;
}

/**
 * Whether the browser reached the console over https. `next start` serves plain HTTP, so TLS ends in a
 * reverse proxy in front, and only its X-Forwarded-Proto can tell — believed only when
 * KEYDECK_TRUST_PROXY says there is one. The request URL's scheme is no help: Next derives it from
 * X-Forwarded-Proto too, which any client can send (e2e/hardening.spec.ts forges it).
 */
export function servedOverHttps(headers: Headers, trustProxy: boolean): boolean {
  if (!trustProxy) return false;
  // The last value is the one the proxy next to us set; earlier ones may come from the client.
  const forwarded = headers.get('x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase();
  return forwarded === 'https';
}
