import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { PageHeader } from '@/components/shell/page-header';
import { UsageDashboard } from '@/components/usage/usage-dashboard';
import { UsageViews } from '@/components/usage/usage-views';
import { resolveScope } from '@/lib/kms/scope';
import { makeQueryClient } from '@/lib/queries/query-client';
import { usageQueries } from '@/lib/queries/usage';
import { DEFAULT_RETENTION } from '@/lib/usage/event-store';
import { parseUsageQuery, storeWindowDays, usageReport } from '@/lib/usage/report';
import { ensureUsageSync } from '@/lib/usage/sync-job';

export const metadata: Metadata = { title: 'Usage & cost' };

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const scope = resolveScope(params.region, params.account);
  // The query names the account only when the URL does, as the browser's does (the same query key).
  const query = parseUsageQuery(params, scope.region, params.account === undefined ? undefined : scope.account);
  ensureUsageSync();
  const queryClient = makeQueryClient();
  const windowDays = await storeWindowDays().catch(() => DEFAULT_RETENTION.rawDays);
  try {
    const report = await usageReport(query);
    await queryClient.prefetchQuery({ ...usageQueries.report(query), queryFn: () => report });
  } catch {
    // The browser's query fetches /api/usage itself and shows the error inline.
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader title="Usage & cost" description={`KMS calls in ${scope.region} from CloudTrail, and what they cost.`} />
      <UsageViews />
      <UsageDashboard initial={query} windowDays={windowDays} />
    </HydrationBoundary>
  );
}
