/**
 * The server's inventory cache, per account and region: a snapshot is served as is while fresh, served
 * and reloaded in the background once stale, and reloaded on demand (the refresh button) or when a
 * change is known to have happened (a write through the demo endpoint).
 */
import 'server-only';
import { clientsFor } from '@/lib/aws/clients';
import { loadInventory } from './inventory';
import type { Inventory, Scope } from './inventory-types';

/** After this a snapshot is still served, but a background reload starts. */
export const STALE_AFTER_MS = 60_000;
/**
 * A reload costs about 2.6 requests per key (10,000 keys: ~26,000 calls against small control-plane
 * quotas), so a slow one is repeated less often: at most 5% of the time is spent reloading.
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

const defaultLoader: InventoryLoader = (scope) => loadInventory(clientsFor(scope).kms, scope);

function startLoad(scope: Scope, entry: Entry, loader: InventoryLoader): Promise<Inventory> {
  const ticket = ++entry.tickets;
  const promise = loader(scope).then(
    (inventory) => {
      if (ticket > entry.snapshotTicket && ticket > entry.invalidatedTicket) {
        entry.inventory = inventory;
        entry.snapshotTicket = ticket;
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
}

export async function getInventory(scope: Scope, { force = false, loader = defaultLoader }: GetInventoryOptions = {}): Promise<Inventory> {
  const map = entries();
  let entry = map.get(cacheKey(scope));
  if (!entry) {
    entry = { tickets: 0, snapshotTicket: 0, invalidatedTicket: 0 };
    map.set(cacheKey(scope), entry);
  }
  if (force) return startLoad(scope, entry, loader);
  const cached = entry.inventory;
  if (!cached) return entry.inflight ?? startLoad(scope, entry, loader);
  const staleAfter = Math.max(STALE_AFTER_MS, cached.loadMs * STALE_PER_LOAD_MS);
  if (Date.now() - cached.refreshedAt > staleAfter && !entry.inflight) {
    // Stale-while-revalidate: answer now; a failed background load keeps the old snapshot.
    startLoad(scope, entry, loader).catch(() => undefined);
  }
  return cached;
}

/** Drops the cached snapshots of `region` (every account), so the next read loads afresh. */
export function invalidateInventory(region: string): void {
  for (const [key, entry] of entries()) {
    if (key.endsWith(`/${region}`)) {
      entry.inventory = undefined;
      entry.invalidatedTicket = ++entry.tickets;
      entry.inflight = undefined;
    }
  }
}
