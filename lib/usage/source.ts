/**
 * Where the usage charts come from, a console-wide setting kept in the store's settings table: the
 * embedded store (synced from CloudTrail with LookupEvents, the default) or a CloudTrail Lake event data
 * store queried with Lake SQL (lib/usage/lake.ts; aws mode only — the demo emulator does not run Lake SQL).
 */
import type { Db } from './event-store';
import { eventDataStoreId } from './lake';
import type { UsageSource } from './source-types';

export { DEMO_LAKE_REASON, type UsageSource } from './source-types';

const NAME = 'usage.source';

export async function getUsageSource(db: Db): Promise<UsageSource> {
  const row = await db.selectFrom('settings').select('value').where('name', '=', NAME).executeTakeFirst();
  if (!row) return { kind: 'store' };
  try {
    const value = JSON.parse(row.value) as Partial<{ kind: string; eventDataStore: string }>;
    if (value.kind === 'lake' && typeof value.eventDataStore === 'string') {
      eventDataStoreId(value.eventDataStore);
      return { kind: 'lake', eventDataStore: value.eventDataStore };
    }
  } catch {
    // A value this version cannot read: the embedded store, which always works.
  }
  return { kind: 'store' };
}

/** Saves the source; an event data store that is neither an ARN nor an id is refused (ValidationException). */
export async function setUsageSource(db: Db, source: UsageSource): Promise<UsageSource> {
  const value: UsageSource = source.kind === 'lake' ? { kind: 'lake', eventDataStore: source.eventDataStore.trim() } : { kind: 'store' };
  if (value.kind === 'lake') eventDataStoreId(value.eventDataStore);
  await db
    .insertInto('settings')
    .values({ name: NAME, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
  return value;
}
