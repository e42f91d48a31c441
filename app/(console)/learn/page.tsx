import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { LearnOverview } from '@/components/learn/learn-overview';
import { scenarioSummaries } from '@/lib/learn/scenarios';
import { learnerProgress } from '@/lib/learn/server';
import { consoleContext } from '@/lib/kms/scope';
import { learnQueries } from '@/lib/queries/learn';
import { makeQueryClient } from '@/lib/queries/query-client';

export const metadata: Metadata = { title: 'Learn' };

export default async function LearnPage() {
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...learnQueries.progress(), queryFn: async () => ({ progress: await learnerProgress() }) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <LearnOverview scenarios={scenarioSummaries()} mode={consoleContext().mode} />
    </HydrationBoundary>
  );
}
