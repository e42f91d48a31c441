import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { PageHeader } from '@/components/shell/page-header';
import { UnusedKeysView } from '@/components/usage/unused-keys-view';
import { UsageViews } from '@/components/usage/usage-views';
import { resolveScope } from '@/lib/kms/scope';
import { makeQueryClient } from '@/lib/queries/query-client';
import { usageQueries } from '@/lib/queries/usage';
import { UNUSED_DAYS, type UnusedDays } from '@/lib/usage/range';
import { unusedKeysReport } from '@/lib/usage/report';
import { ensureUsageSync } from '@/lib/usage/sync-job';

export const metadata: Metadata = { title: 'Unused keys · Usage & cost' };

export default async function UnusedKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const scope = resolveScope(params.region, params.account);
  // The browser's query names the account only when the URL does (the same query key, so it hydrates).
  const account = params.account === undefined ? undefined : scope.account;
  const asked = Number(Array.isArray(params.days) ? params.days[0] : params.days);
  const days: UnusedDays = (UNUSED_DAYS as readonly number[]).includes(asked) ? (asked as UnusedDays) : 90;
  ensureUsageSync();
  const queryClient = makeQueryClient();
  try {
    const report = await unusedKeysReport(scope.region, days, scope.account);
    await queryClient.prefetchQuery({ ...usageQueries.unused(scope.region, days, account), queryFn: () => report });
  } catch {
    // The browser's query asks /api/usage/unused itself and shows the error inline.
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader title="Usage & cost" description={`Keys in ${scope.region} that nothing but Keydeck called, and what they cost.`} />
      <UsageViews />
      <UnusedKeysView region={scope.region} initialDays={days} />
    </HydrationBoundary>
  );
}
