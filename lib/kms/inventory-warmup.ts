/**
 * Loads every account's and region's inventory once when the server starts, one after another in the
 * background, so the first person to open /keys gets the cached snapshot instead of waiting for a load
 * of every key (about 2.6 KMS calls per key).
 */
import 'server-only';
import { getInventory, type GetInventoryOptions } from './inventory-cache';
import type { Scope } from './inventory-types';
import { consoleContext } from './scope';

export interface WarmUpResult {
  scope: Scope;
  keys?: number;
  ms: number;
  error?: string;
}

/** The scopes to warm: the default region first, then the others, for each configured account. */
export function warmUpScopes(): Scope[] {
  const { accounts, regions, defaultRegion } = consoleContext();
  const ordered = [defaultRegion, ...regions.filter((region) => region !== defaultRegion)];
  return accounts.flatMap((account) => ordered.map((region) => ({ account: account.name, region })));
}

/** Warms `scopes` in order; a failure (no credentials yet, a region that does not answer) is reported, not thrown. */
export async function warmUpInventories(scopes: Scope[] = warmUpScopes(), options: Pick<GetInventoryOptions, 'loader'> = {}): Promise<WarmUpResult[]> {
  const results: WarmUpResult[] = [];
  for (const scope of scopes) {
    const started = performance.now();
    try {
      const inventory = await getInventory(scope, options);
      results.push({ scope, keys: inventory.keys.length, ms: Math.round(performance.now() - started) });
    } catch (error) {
      results.push({ scope, ms: Math.round(performance.now() - started), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return results;
}
