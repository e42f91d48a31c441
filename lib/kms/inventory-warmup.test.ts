import { describe, expect, it, vi } from 'vitest';
import { getInventory } from './inventory-cache';
import type { Inventory, Scope } from './inventory-types';
import { warmUpInventories } from './inventory-warmup';

describe('inventory warm-up', () => {
  it('loads each scope once, in order, reports failures, and leaves the snapshots cached', async () => {
    const scopes: Scope[] = [
      { account: 'warm', region: 'warm-1' },
      { account: 'warm', region: 'warm-2' },
      { account: 'warm', region: 'warm-3' },
    ];
    const order: string[] = [];
    const loader = vi.fn(async (scope: Scope): Promise<Inventory> => {
      order.push(scope.region);
      if (scope.region === 'warm-2') throw Object.assign(new Error('no answer'), { name: 'UnrecognizedClientException' });
      return { scope, keys: [], refreshedAt: Date.now(), loadMs: 1, requests: 1, throttledRetries: 0 };
    });
    const results = await warmUpInventories(scopes, { loader });
    expect(order).toEqual(['warm-1', 'warm-2', 'warm-3']);
    expect(results.map((r) => [r.scope.region, r.keys ?? r.error])).toEqual([
      ['warm-1', 0],
      ['warm-2', 'UnrecognizedClientException: no answer'],
      ['warm-3', 0],
    ]);
    // Cached: a reader gets the warmed snapshot without another load.
    await getInventory(scopes[0], { loader });
    expect(loader).toHaveBeenCalledTimes(3);
  });
});
