/** Query options for the Settings page's live status, shared by the server prefetch and the browser. */
import { queryOptions } from '@tanstack/react-query';
import type { SettingsStatus } from '@/lib/aws/settings-types';
import { fetchJson } from './fetch-json';

export const settingsQueries = {
  status: () =>
    queryOptions({
      queryKey: ['settings', 'status'] as const,
      queryFn: ({ signal }) => fetchJson<SettingsStatus>('/api/settings', { signal }),
      // Checks cost calls to AWS; they run when asked for (the refresh button), not on every focus.
      staleTime: Infinity,
    }),
};
