/** Credentials fetched once and shared by every client of an account, fetched again shortly before they expire. */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** AWS SDKs refresh temporary credentials this long before their expiry; so do we. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Wraps `provider` so that concurrent callers share one fetch, the result is reused until it is within
 * `marginMs` of its expiration, and a failed fetch is not remembered (the next call tries again).
 */
export function refreshingCredentials(provider: AwsCredentialIdentityProvider, { now = Date.now, marginMs = REFRESH_MARGIN_MS } = {}): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    if (current && (!current.expiration || current.expiration.getTime() - now() > marginMs)) return Promise.resolve(current);
    pending ??= provider()
      .then((credentials) => (current = credentials))
      .finally(() => (pending = undefined));
    return pending;
  };
}
