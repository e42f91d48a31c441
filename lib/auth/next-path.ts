/** Where to send a user after sign-in: `?next=` when it is a path of this site, the inventory otherwise. */

export const DEFAULT_AFTER_SIGN_IN = '/keys';
const BASE = 'http://keydeck.invalid';

/**
 * A same-site path (`/keys/abc?region=eu-west-1`) from an untrusted `next` value, or `/keys`. Refuses
 * other origins in every spelling browsers accept: `//evil`, `/\evil`, `https://…`, `javascript:`,
 * and control characters (which browsers strip before parsing).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2048 || !next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== BASE) return DEFAULT_AFTER_SIGN_IN;
  // Back to the sign-in page would be a loop; the API answers JSON, not pages.
  if (url.pathname === '/signin' || url.pathname.startsWith('/signin/') || url.pathname.startsWith('/api/')) return DEFAULT_AFTER_SIGN_IN;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's URL that comes back to `path` afterwards. */
export function signInPathFor(path: string): string {
  const next = safeNextPath(path);
  return next === DEFAULT_AFTER_SIGN_IN ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
}
