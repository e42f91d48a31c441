import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { settingsStatus } from '@/lib/aws/settings-status';
import { makeQueryClient } from '@/lib/queries/query-client';
import { settingsQueries } from '@/lib/queries/settings';
import { SettingsView } from './settings-view';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...settingsQueries.status(), queryFn: () => settingsStatus() });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <SettingsView />
    </HydrationBoundary>
  );
}
