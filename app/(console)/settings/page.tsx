import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { settingsStatus } from '@/lib/aws/settings-status';
import { getConfig } from '@/lib/config';
import { makeQueryClient } from '@/lib/queries/query-client';
import { settingsQueries } from '@/lib/queries/settings';
import { sharedStore } from '@/lib/store/shared';
import { DEFAULT_RETENTION, getRetention } from '@/lib/usage/event-store';
import { getUsageSource, type UsageSource } from '@/lib/usage/source';
import { lookupEventsRate } from '@/lib/usage/sync-rate';
import { firstSyncDays, usageSyncEnabled } from '@/lib/usage/sync-window';
import { SettingsView } from './settings-view';
import { UsageRetentionCard } from './usage-retention-card';
import { UsageSourceCard } from './usage-source-card';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const queryClient = makeQueryClient();
  await queryClient.prefetchQuery({ ...settingsQueries.status(), queryFn: () => settingsStatus() });
  const source: UsageSource = await getUsageSource((await sharedStore()).db).catch(() => ({ kind: 'store' }) as const);
  const retention = await getRetention((await sharedStore()).db).catch(() => DEFAULT_RETENTION);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <SettingsView />
      <UsageSourceCard
        initial={source}
        demo={getConfig().mode === 'demo'}
        sync={{ enabled: usageSyncEnabled(process.env), ratePerSecond: lookupEventsRate(getConfig().mode, process.env), firstSyncDays: firstSyncDays(process.env) }}
      />
      <UsageRetentionCard initial={retention} />
    </HydrationBoundary>
  );
}
