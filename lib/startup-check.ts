/**
 * The configuration checks a server runs before it takes its first request: a console whose settings are
 * wrong (an unknown mode, a malformed OIDC role map …) refuses to start and says why, instead of failing
 * each request — or worse, signing users in under a half-read configuration.
 */
import { parseOidcConfig } from './auth/oidc-config';
import { parseConfig } from './config';
import { lookupEventsRate } from './usage/sync-rate';
import { firstSyncDays } from './usage/sync-window';

/** Every problem in `env` that would stop the console, one message per configuration family; none: it may start. */
export function startupProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const check of [() => parseConfig(env), () => parseOidcConfig(env), () => lookupEventsRate('demo', env), () => firstSyncDays(env)]) {
    try {
      check();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}
