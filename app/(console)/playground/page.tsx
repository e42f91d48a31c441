import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { clientsFor } from '@/lib/aws/clients';
import { getInventory } from '@/lib/kms/inventory-cache';
import { loadKeyDetail } from '@/lib/kms/key-detail';
import { consoleContext, resolveScope } from '@/lib/kms/scope';
import { makeQueryClient } from '@/lib/queries/query-client';
import { keyQueries } from '@/lib/queries/keys';
import { PlaygroundView } from './playground-view';

export const metadata: Metadata = { title: 'Playground' };

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const scope = resolveScope(params.region, params.account);
  const keyId = typeof params.key === 'string' && params.key ? params.key : null;
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...keyQueries.list(scope), queryFn: () => getInventory(scope) });
  if (keyId) await queryClient.prefetchQuery({ ...keyQueries.detail(scope, keyId), queryFn: () => loadKeyDetail(clientsFor(scope).kms, keyId) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PlaygroundView scope={scope} initialKey={keyId} mode={consoleContext().mode} />
    </HydrationBoundary>
  );
}
