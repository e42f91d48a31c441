import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { KeyPolicyEditor } from '@/components/policy/key-policy-editor';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { clientsFor } from '@/lib/aws/clients';
import { listGrants } from '@/lib/kms/grants';
import { loadKeyPolicy } from '@/lib/kms/key-policy';
import { resolveScope } from '@/lib/kms/scope';
import { keyPolicyQueries } from '@/lib/queries/key-policy';
import { makeQueryClient } from '@/lib/queries/query-client';

type Props = { params: Promise<{ keyId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Key policy · ${decodeURIComponent((await params).keyId)}` };
}

export default async function KeyPolicyPage({ params, searchParams }: Props) {
  const keyId = decodeURIComponent((await params).keyId);
  const search = await searchParams;
  const scope = resolveScope(search.region, search.account);
  const clients = clientsFor(scope);
  const queryClient = makeQueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...keyPolicyQueries.policy(scope, keyId), queryFn: () => loadKeyPolicy(clients, keyId, scope.region, scope.account) }),
    queryClient.prefetchQuery({ ...keyPolicyQueries.grants(scope, keyId), queryFn: () => listGrants(clients.kms, keyId) }),
  ]);
  const error = queryClient.getQueryState(keyPolicyQueries.policy(scope, keyId).queryKey)?.error;
  if (error?.name === 'NotFoundException') notFound();
  // The way back keeps the account when the URL names one.
  const accountQuery = typeof search.account === 'string' && search.account ? `&account=${encodeURIComponent(search.account)}` : '';
  const keyHref = `/keys/${encodeURIComponent(keyId)}?region=${encodeURIComponent(scope.region)}${accountQuery}`;
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Key policy"
        description={<span className="font-mono text-xs">{keyId}</span>}
        actions={
          <Button asChild variant="ghost">
            <Link href={keyHref}>
              <ArrowLeft aria-hidden="true" /> Key details
            </Link>
          </Button>
        }
      />
      <KeyPolicyEditor scope={scope} keyId={keyId} />
    </HydrationBoundary>
  );
}
