'use client';
/** Feeds the key detail view from the query cache (hydrated by the server page). */
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { CircleAlert } from 'lucide-react';
import { KeyDetailView } from '@/components/keys/key-detail';
import { PageHeader } from '@/components/shell/page-header';
import type { Scope } from '@/lib/kms/inventory-types';
import { keyQueries } from '@/lib/queries/keys';

export function KeyDetailPage({ scope, keyId }: { scope: Scope; keyId: string }) {
  const detail = useQuery(keyQueries.detail(scope, keyId));
  const accountParam = useSearchParams().get('account');
  const backHref = `/keys?region=${encodeURIComponent(scope.region)}${accountParam ? `&account=${encodeURIComponent(accountParam)}` : ''}`;
  if (detail.data) return <KeyDetailView detail={detail.data} backHref={backHref} />;
  return (
    <>
      <PageHeader title={keyId} />
      {detail.error ? (
        <div role="alert" className="mx-6 flex max-w-3xl gap-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" />
          <p>
            <span className="font-mono font-semibold">{detail.error.name}</span>: {detail.error.message}
          </p>
        </div>
      ) : (
        <p className="px-6 text-sm text-zinc-600 dark:text-zinc-400">Loading key…</p>
      )}
    </>
  );
}
