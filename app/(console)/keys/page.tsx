import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { getInventory } from '@/lib/kms/inventory-cache';
import { firstScreen, type FirstScreen } from '@/lib/kms/inventory-summary';
import type { Inventory } from '@/lib/kms/inventory-types';
import { parseView } from '@/lib/kms/inventory-view';
import { consoleContext, resolveScope } from '@/lib/kms/scope';
import { makeQueryClient } from '@/lib/queries/query-client';
import { keyQueries } from '@/lib/queries/keys';
import { KeysView } from './keys-view';

export const metadata: Metadata = { title: 'Keys' };

/**
 * Up to this many keys the whole inventory is embedded in the page (≈ 0.7 MB of JSON at 2,000). Past
 * it, embedding costs more than it saves: at 10,000 keys the HTML grows to 4 MB and the server needs
 * ~300 ms more to write it. The page then carries only its first screen of rows, and the browser
 * fetches the rest from /api/keys (the same cache) while it hydrates.
 */
const HYDRATE_MAX_KEYS = 2_000;

export default async function KeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const scope = resolveScope(params.region, params.account);
  const queryClient = makeQueryClient();
  let first: FirstScreen | null = null;
  let inventory: Inventory | undefined;
  try {
    inventory = await getInventory(scope);
    first = firstScreen(inventory, parseView(params));
  } catch {
    // The browser's query fetches /api/keys itself and shows the KMS error inline.
  }
  if (inventory && inventory.keys.length <= HYDRATE_MAX_KEYS) {
    // A small inventory travels with the page, so search and filters work the moment React has hydrated.
    const loaded = inventory;
    await queryClient.prefetchQuery({ ...keyQueries.list(scope), queryFn: () => loaded });
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <KeysView scope={scope} first={first} demo={consoleContext().mode === 'demo'} />
    </HydrationBoundary>
  );
}
