/** Query options for the playground's reads: the CloudTrail event of a call, asked again until it arrives. */
import { queryOptions } from '@tanstack/react-query';
import type { Scope } from '@/lib/kms/inventory-types';
import { fetchJson } from '@/lib/queries/fetch-json';
import type { PlaygroundCall } from './call';
import type { FoundEvent } from './trail';

export const playgroundQueries = {
  all: (scope: Scope) => ['playground', scope.account, scope.region] as const,
  event: (scope: Scope, call: PlaygroundCall) =>
    queryOptions({
      queryKey: [...playgroundQueries.all(scope), 'event', call.operation, call.requestId ?? ''] as const,
      queryFn: ({ signal }) =>
        fetchJson<{ event: FoundEvent | null }>(
          `/api/playground/event?${new URLSearchParams({ region: scope.region, eventName: call.operation, requestId: call.requestId ?? '', since: String(call.at) })}`,
          { signal },
        ),
      enabled: !!call.requestId,
      // The emulator records the event before it answers; AWS delivers it to LookupEvents minutes later.
      refetchInterval: (query) => (query.state.data?.event ? false : call.mode === 'demo' ? 1_000 : 20_000),
      staleTime: Infinity,
    }),
};
