/** The process's one store, opened on first use from the configuration (data dir, KEYDECK_DATABASE_URL). */
import 'server-only';
import { getConfig } from '@/lib/config';
import { openStore, type Store } from './open';

// On globalThis, like the emulator: Next.js bundles routes separately, and they must share one pool.
const HOLDER = Symbol.for('keydeck.store');
type Holder = { [HOLDER]?: Promise<Store> };

export function sharedStore(): Promise<Store> {
  const holder = globalThis as Holder;
  if (!holder[HOLDER]) {
    const databaseUrl = process.env.KEYDECK_DATABASE_URL?.trim() || undefined;
    const opening = openStore({ dataDir: getConfig().dataDir, databaseUrl });
    // A failed open is not cached: the next request tries again (the database may come up later).
    opening.catch(() => {
      if (holder[HOLDER] === opening) holder[HOLDER] = undefined;
    });
    holder[HOLDER] = opening;
  }
  return holder[HOLDER];
}
