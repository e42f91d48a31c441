import { afterEach, describe, expect, it, vi } from 'vitest';
import { STALE_AFTER_MS, getInventory, invalidateInventory } from './inventory-cache';
import type { Inventory, Scope } from './inventory-types';

let n = 0;
// Each test gets its own region so the process-wide cache never leaks between tests.
const freshScope = (): Scope => ({ account: '111122223333', region: `test-${++n}` });

function countingLoader() {
  let loads = 0;
  const loader = vi.fn(async (scope: Scope): Promise<Inventory> => ({ scope, keys: [], refreshedAt: Date.now(), loadMs: 0, requests: ++loads, throttledRetries: 0 }));
  return loader;
}

afterEach(() => vi.useRealTimers());

describe('inventory cache', () => {
  it('loads once for concurrent readers and then serves the snapshot', async () => {
    const scope = freshScope();
    const loader = countingLoader();
    const [a, b] = await Promise.all([getInventory(scope, { loader }), getInventory(scope, { loader })]);
    expect(a).toBe(b);
    expect(await getInventory(scope, { loader })).toBe(a);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('reloads on force', async () => {
    const scope = freshScope();
    const loader = countingLoader();
    const first = await getInventory(scope, { loader });
    const forced = await getInventory(scope, { loader, force: true });
    expect(forced.requests).toBe(2);
    expect(await getInventory(scope, { loader })).toBe(forced);
    expect(first).not.toBe(forced);
  });

  it('serves a stale snapshot at once and refreshes it in the background', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const scope = freshScope();
    const loader = countingLoader();
    const first = await getInventory(scope, { loader });
    vi.setSystemTime(Date.now() + STALE_AFTER_MS + 1);
    expect(await getInventory(scope, { loader })).toBe(first);
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2));
    await Promise.resolve();
    expect((await getInventory(scope, { loader })).requests).toBe(2);
  });

  it('drops the snapshot when its region is invalidated, and ignores a load that started before', async () => {
    const scope = freshScope();
    let release!: () => void;
    const slow = vi.fn(async (s: Scope): Promise<Inventory> => {
      await new Promise<void>((resolve) => (release = resolve));
      return { scope: s, keys: [], refreshedAt: Date.now(), loadMs: 0, requests: 1, throttledRetries: 0 };
    });
    const pending = getInventory(scope, { loader: slow });
    await vi.waitFor(() => expect(slow).toHaveBeenCalled());
    invalidateInventory(scope.region);
    release();
    await pending;
    const loader = countingLoader();
    expect((await getInventory(scope, { loader })).requests).toBe(1);
    expect(loader).toHaveBeenCalledTimes(1);
  });
});
