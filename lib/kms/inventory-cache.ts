/**
 * The server's inventory cache, per account and region: a snapshot is served as is while fresh, served
 * and reloaded in the background once stale, and reloaded on demand (the refresh button) or when a
 * change is known to have happened (a write through the demo endpoint).
 */
import 'server-only';
import { clientsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import { loadInventory, loadRows, type LoadInventoryOptions } from './inventory';
import { AWS_INVENTORY_CONCURRENCY, AWS_INVENTORY_RATES } from './inventory-quotas';
import type { Inventory, KeyRow, Scope } from './inventory-types';

/** After this a snapshot is still served, but a background reload starts. */
export const STALE_AFTER_MS = 60_000;
/**
 * A reload costs about 2.7 requests per key (the bench's 10,000 keys: 27,182 calls, ≥ 14 s in real AWS
 * when paced at half the quotas), so a slow one is repeated less often: at most 5% of the time is spent reloading.
 */
const STALE_PER_LOAD_MS = 20;

/** KMS operations whose success changes what the inventory shows. */
export const INVENTORY_CHANGING_OPERATIONS = new Set([
  'CreateKey',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'RotateKeyOnDemand',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'TagResource',
  'UntagResource',
  'UpdateKeyDescription',
  'ReplicateKey',
  'UpdatePrimaryRegion',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
]);

interface Entry {
  inventory?: Inventory;
  inflight?: Promise<Inventory>;
  /** Tickets order loads and invalidations: a load older than the snapshot or the last invalidation is dropped. */
  tickets: number;
  snapshotTicket: number;
  invalidatedTicket: number;
  /** Keys known to have changed since the snapshot, with the ticket of their change: only their rows reload. */
  changed: Map<string, number>;
  rowsInflight?: Promise<Inventory>;
}

// On globalThis: Next.js bundles each route separately, and the page, /api/keys and /api/kms must
// share one cache (the same reason lib/aws/shared-emulator.ts keeps the emulator there).
const HOLDER = Symbol.for('keydeck.inventory-cache');
type Holder = { [HOLDER]?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= new Map();
  return holder[HOLDER];
}

const cacheKey = (scope: Scope) => `${scope.account}/${scope.region}`;

export type InventoryLoader = (scope: Scope) => Promise<Inventory>;
export type RowsLoader = (scope: Scope, keyIds: string[]) => Promise<Map<string, KeyRow | null>>;

/** Real AWS: paced within half of each per-API quota (inventory-quotas.ts); the in-process emulator: unpaced. */
const loadOptions = (): LoadInventoryOptions => (getConfig().mode === 'aws' ? { concurrency: AWS_INVENTORY_CONCURRENCY, rates: AWS_INVENTORY_RATES } : {});
const defaultLoader: InventoryLoader = (scope) => loadInventory(clientsFor(scope).kms, scope, loadOptions());
const defaultRowsLoader: RowsLoader = (scope, keyIds) => loadRows(clientsFor(scope).kms, keyIds);

function newEntry(): Entry {
  return { tickets: 0, snapshotTicket: 0, invalidatedTicket: 0, changed: new Map() };
}

function startLoad(scope: Scope, entry: Entry, loader: InventoryLoader): Promise<Inventory> {
  const ticket = ++entry.tickets;
  const promise = loader(scope).then(
    (inventory) => {
      if (ticket > entry.snapshotTicket && ticket > entry.invalidatedTicket) {
        entry.inventory = inventory;
        entry.snapshotTicket = ticket;
        // A key changed after this load began may be stale in it: it stays marked. The rest are current.
        for (const [keyId, changedTicket] of entry.changed) if (changedTicket < ticket) entry.changed.delete(keyId);
      }
      if (entry.inflight === promise) entry.inflight = undefined;
      return inventory;
    },
    (error: unknown) => {
      if (entry.inflight === promise) entry.inflight = undefined;
      throw error;
    },
  );
  entry.inflight = promise;
  return promise;
}

export interface GetInventoryOptions {
  /** Load from KMS now, whatever the cache holds. */
  force?: boolean;
  loader?: InventoryLoader;
  rowsLoader?: RowsLoader;
}

/** Reloads the rows of the changed keys and merges them into a new snapshot (a new key is added, a deleted one dropped). */
function refreshChanged(scope: Scope, entry: Entry, snapshot: Inventory, rowsLoader: RowsLoader): Promise<Inventory> {
  const taken = new Map(entry.changed);
  const ticket = ++entry.tickets;
  const promise = rowsLoader(scope, [...taken.keys()]).then(
    (rows) => {
      if (entry.rowsInflight === promise) entry.rowsInflight = undefined;
      // A full invalidation or a newer full snapshot since: this merge is moot.
      if (ticket < entry.invalidatedTicket || ticket < entry.snapshotTicket || entry.inventory !== snapshot) return entry.inventory ?? snapshot;
      const keys = snapshot.keys.filter((row) => !rows.has(row.id));
      for (const row of rows.values()) if (row) keys.push(row);
      const merged: Inventory = { ...snapshot, keys };
      entry.inventory = merged;
      // A full load that began before this merge would bring back the old rows: it is dropped.
      entry.snapshotTicket = ticket;
      for (const [keyId, changedTicket] of taken) if (entry.changed.get(keyId) === changedTicket) entry.changed.delete(keyId);
      return merged;
    },
    (error: unknown) => {
      if (entry.rowsInflight === promise) entry.rowsInflight = undefined;
      throw error;
    },
  );
  entry.rowsInflight = promise;
  return promise;
}

export async function getInventory(scope: Scope, { force = false, loader = defaultLoader, rowsLoader = defaultRowsLoader }: GetInventoryOptions = {}): Promise<Inventory> {
  const map = entries();
  let entry = map.get(cacheKey(scope));
  if (!entry) {
    entry = newEntry();
    map.set(cacheKey(scope), entry);
  }
  if (force) return startLoad(scope, entry, loader);
  let cached = entry.inventory;
  if (!cached) return entry.inflight ?? startLoad(scope, entry, loader);
  // Keys changed through the console: a few calls for their rows, not a reload of the region.
  if (entry.rowsInflight) cached = await entry.rowsInflight;
  else if (entry.changed.size > 0) cached = await refreshChanged(scope, entry, cached, rowsLoader);
  const staleAfter = Math.max(STALE_AFTER_MS, cached.loadMs * STALE_PER_LOAD_MS);
  if (Date.now() - cached.refreshedAt > staleAfter && !entry.inflight) {
    // Stale-while-revalidate: answer now; a failed background load keeps the old snapshot.
    startLoad(scope, entry, loader).catch(() => undefined);
  }
  return cached;
}

/**
 * Tells the cache that keys changed: in a region of one account (a write through the console, which
 * knows its scope), or in a region of every account (a bare region: a write through the demo endpoint).
 * With `keyIds` (keys created, changed or deleted), the next read reloads just their rows; without, the
 * cached snapshots are dropped and the next read loads afresh.
 */
export function invalidateInventory(where: string | { region: string; account?: string }, keyIds?: string[]): void {
  const { region, account } = typeof where === 'string' ? { region: where, account: undefined } : where;
  for (const [key, entry] of entries()) {
    if (account === undefined ? !key.endsWith(`/${region}`) : key !== cacheKey({ account, region })) continue;
    if (keyIds && entry.inventory) {
      const ticket = ++entry.tickets;
      for (const keyId of keyIds) entry.changed.set(keyId, ticket);
      continue;
    }
    entry.inventory = undefined;
    entry.invalidatedTicket = ++entry.tickets;
    entry.inflight = undefined;
    entry.rowsInflight = undefined;
    entry.changed.clear();
  }
}
