import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { clientsFor } from '@/lib/aws/clients';
import { loadKeyDetail } from '@/lib/kms/key-detail';
import { consoleContext, resolveScope } from '@/lib/kms/scope';
import { makeQueryClient } from '@/lib/queries/query-client';
import { keyQueries } from '@/lib/queries/keys';
import { KeyDetailPage } from './key-detail-page';

type Props = { params: Promise<{ keyId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Key ${decodeURIComponent((await params).keyId)}` };
}

export default async function KeyPage({ params, searchParams }: Props) {
  const keyId = decodeURIComponent((await params).keyId);
  const search = await searchParams;
  const scope = resolveScope(search.region, search.account);
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...keyQueries.detail(scope, keyId), queryFn: () => loadKeyDetail(clientsFor(scope).kms, keyId) });
  const error = queryClient.getQueryState(keyQueries.detail(scope, keyId).queryKey)?.error;
  if (error?.name === 'NotFoundException') notFound();
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <KeyDetailPage scope={scope} keyId={keyId} regions={consoleContext().regions} mode={consoleContext().mode} />
    </HydrationBoundary>
  );
}
