/**
 * Cross-origin refusal: a browser on another site must not make the console change anything. Pure,
 * used by proxy.ts before any route handler or server action runs.
 */

/** Methods that change nothing, so any origin may send them (CORS still keeps their answers from other sites). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OriginCheckInput {
  method: string;
  headers: Headers;
  /** Origins besides the console's own host that may post (KEYDECK_ALLOWED_ORIGINS), e.g. `https://kms.example.com`. */
  allowedOrigins: readonly string[];
}

/** The host the browser addressed, as Next's own server-action check reads it: X-Forwarded-Host first, else Host. */
export function requestHost(headers: Headers): string | undefined {
  const forwarded = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return (forwarded || headers.get('host')) ?? undefined;
}

/**
 * Why a request must be refused, or undefined when it may go on. A browser sends `Origin` on every
 * POST (and `Sec-Fetch-Site`); the AWS CLI and SDKs posting to `/api/kms` send neither, so they pass —
 * they carry no ambient browser credentials, which is what cross-site request forgery abuses.
 */
export function crossOriginRefusal({ method, headers, allowedOrigins }: OriginCheckInput): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const origin = headers.get('origin');
  if (origin !== null) {
    if (origin === 'null') return 'Requests from an opaque origin are refused.';
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return 'The Origin header is not a valid origin.';
    }
    const host = requestHost(headers);
    if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return undefined;
    if (allowedOrigins.includes(url.origin)) return undefined;
    return `Requests from ${url.origin} are refused: only this console's own pages may change anything.`;
  }
  // No Origin: a non-browser client, or an old browser; Fetch Metadata still tells a cross-site one.
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return 'Cross-site requests are refused: only this console\'s own pages may change anything.';
  return undefined;
}

/** The refusal as AWS words one: 403, `AccessDeniedException` (and as `error: { name, message }` for the console's fetchJson). */
export function forbiddenResponse(message: string, headers: Record<string, string> = {}): Response {
  return Response.json(
    { __type: 'AccessDeniedException', message, error: { name: 'AccessDeniedException', message } },
    { status: 403, headers: { ...headers, 'cache-control': 'no-store', 'x-amzn-errortype': 'AccessDeniedException' } },
  );
}
