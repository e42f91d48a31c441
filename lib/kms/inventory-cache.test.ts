import { afterEach, describe, expect, it, vi } from 'vitest';
import { STALE_AFTER_MS, getInventory, invalidateInventory } from './inventory-cache';
import type { Inventory, KeyRow, Scope } from './inventory-types';

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

describe('inventory cache: changed keys', () => {
  const row = (id: string, state = 'Enabled'): KeyRow => ({
    id,
    aliases: [],
    description: '',
    state,
    manager: 'CUSTOMER',
    type: 'Symmetric',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    multiRegion: null,
    rotation: null,
    createdAt: 0,
    tags: {},
  });
  const inventoryOf = (scope: Scope, keys: KeyRow[]): Inventory => ({ scope, keys, refreshedAt: Date.now(), loadMs: 0, requests: 1, throttledRetries: 0 });

  it('reloads only the rows of changed keys: updated, added and removed, without a full load', async () => {
    const scope = freshScope();
    const loader = vi.fn(async (s: Scope) => inventoryOf(s, [row('a'), row('b'), row('c')]));
    await getInventory(scope, { loader });
    const rowsLoader = vi.fn(async (_s: Scope, ids: string[]) => new Map<string, KeyRow | null>(ids.map((id) => [id, id === 'c' ? null : row(id, 'Disabled')])));
    invalidateInventory(scope.region, ['a', 'c', 'new']);
    const after = await getInventory(scope, { loader, rowsLoader });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(rowsLoader).toHaveBeenCalledTimes(1);
    expect(rowsLoader.mock.calls[0][1].sort()).toEqual(['a', 'c', 'new']);
    expect(after.keys.map((k) => `${k.id}:${k.state}`).sort()).toEqual(['a:Disabled', 'b:Enabled', 'new:Disabled']);
    // Merged once: the next read is the same snapshot, with no more calls.
    expect(await getInventory(scope, { loader, rowsLoader })).toBe(after);
    expect(rowsLoader).toHaveBeenCalledTimes(1);
  });

  it('drops a full load that began before a row merge, so a changed key never goes back to its old state', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const scope = freshScope();
    let states = { a: 'Enabled' };
    let release!: () => void;
    let slow = false;
    const loader = vi.fn(async (s: Scope) => {
      const snapshot = inventoryOf(s, [row('a', states.a)]);
      if (slow) await new Promise<void>((resolve) => (release = resolve));
      return snapshot;
    });
    await getInventory(scope, { loader });
    // The snapshot goes stale: a background full load starts and reads the key before it changes.
    vi.setSystemTime(Date.now() + STALE_AFTER_MS + 1);
    slow = true;
    await getInventory(scope, { loader });
    await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2));
    states = { a: 'Disabled' };
    invalidateInventory(scope.region, ['a']);
    const rowsLoader = async (_s: Scope, ids: string[]) => new Map<string, KeyRow | null>(ids.map((id) => [id, row(id, states.a)]));
    expect((await getInventory(scope, { loader, rowsLoader })).keys[0].state).toBe('Disabled');
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await getInventory(scope, { loader, rowsLoader })).keys[0].state).toBe('Disabled');
  });

  it('falls back to dropping the snapshot when it names no keys', async () => {
    const scope = freshScope();
    const loader = countingLoader();
    await getInventory(scope, { loader });
    invalidateInventory(scope.region);
    expect((await getInventory(scope, { loader })).requests).toBe(2);
  });

  it('drops only the named account’s snapshot when a write names its scope; a bare region drops every account’s', async () => {
    const { region } = freshScope();
    const main: Scope = { account: 'main', region };
    const partner: Scope = { account: 'partner', region };
    const loader = countingLoader();
    const mainFirst = await getInventory(main, { loader });
    await getInventory(partner, { loader });
    invalidateInventory(partner);
    expect(await getInventory(main, { loader })).toBe(mainFirst);
    expect(loader).toHaveBeenCalledTimes(2);
    await getInventory(partner, { loader });
    expect(loader).toHaveBeenCalledTimes(3);
    invalidateInventory(region);
    await getInventory(main, { loader });
    await getInventory(partner, { loader });
    expect(loader).toHaveBeenCalledTimes(5);
  });
});
