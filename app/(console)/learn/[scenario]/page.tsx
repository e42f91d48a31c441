import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ScenarioView } from '@/components/learn/scenario-view';
import { scenarioSummaries } from '@/lib/learn/scenarios';
import { learnerProgress } from '@/lib/learn/server';
import { consoleContext } from '@/lib/kms/scope';
import { learnQueries } from '@/lib/queries/learn';
import { makeQueryClient } from '@/lib/queries/query-client';
import { resetLearnScenarioAction, runLearnStepAction } from '../actions';

export async function generateMetadata({ params }: { params: Promise<{ scenario: string }> }): Promise<Metadata> {
  const { scenario } = await params;
  return { title: scenarioSummaries().find((s) => s.id === scenario)?.title ?? 'Learn' };
}

export default async function ScenarioPage({ params }: { params: Promise<{ scenario: string }> }) {
  const { scenario: id } = await params;
  const scenario = scenarioSummaries().find((s) => s.id === id);
  if (!scenario) notFound();
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...learnQueries.progress(), queryFn: async () => ({ progress: await learnerProgress() }) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ScenarioView scenario={scenario} mode={consoleContext().mode} actions={{ runStep: runLearnStepAction, reset: resetLearnScenarioAction }} />
    </HydrationBoundary>
  );
}
