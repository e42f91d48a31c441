/**
 * Per-account scoping: a user whose `accounts` is set (a local user's `--accounts`, or the OIDC
 * accounts map) sees and acts only in those accounts. Checked on the server where a request names its
 * account — every server action (defineAction), every account-bearing route handler (withRole), and
 * every console page (the layout sends a page for another account to the user's own) — and the header
 * offers only the user's accounts. Pure, so the rules are tested without a request.
 */
import type { SessionUser } from './sessions';

/** True when the user may see and act in `account` (an account name, as `?account=` holds it). */
export function accountAllowed(user: Pick<SessionUser, 'accounts'>, account: string): boolean {
  return user.accounts === null || user.accounts.includes(account);
}

/** The refusal's message, naming the accounts the user may use. */
export function accountRefusalMessage(user: Pick<SessionUser, 'name' | 'accounts'>, account: string): string {
  return `${user.name} may work only in ${user.accounts?.length ? `the account${user.accounts.length > 1 ? 's' : ''} ${user.accounts.join(', ')}` : 'no account'}, not in ${account}.`;
}

/** The account a user lands in: the console's default when allowed, else the first of theirs that the console has. */
export function homeAccount(user: Pick<SessionUser, 'accounts'>, defaultAccount: string, configured: readonly string[]): string | null {
  if (accountAllowed(user, defaultAccount)) return defaultAccount;
  return configured.find((a) => accountAllowed(user, a)) ?? null;
}

/**
 * Where a console page request must go instead, or null when it may be served: `path` is the page's path
 * and query (`/keys?account=prod`). A page for an account the user may not use (or, without `?account=`,
 * for a default account they may not use) goes to the same page in their home account. (A user with no
 * home account at all is refused by the caller: see homeAccount.)
 */
export function scopedPagePath(user: Pick<SessionUser, 'accounts'>, path: string, defaultAccount: string, configured: readonly string[]): string | null {
  if (user.accounts === null) return null;
  const url = new URL(path, 'http://keydeck.invalid');
  const asked = url.searchParams.get('account') ?? defaultAccount;
  if (accountAllowed(user, asked)) return null;
  const home = homeAccount(user, defaultAccount, configured);
  if (!home) return null;
  url.searchParams.set('account', home);
  return `${url.pathname}${url.search}`;
}
