/**
 * Query options for a key's detail sub-resources: its policy, rotation history and CloudTrail activity.
 * They nest under `keyQueries.detail(scope, keyId)`, so invalidating the detail refreshes them too.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Scope } from '@/lib/kms/inventory-types';
import type { ActivityFilter, ActivityPage, KeyPolicyView, RotationPage } from '@/lib/kms/key-detail-types';
import { fetchJson } from './fetch-json';
import { keyQueries } from './keys';

const base = (scope: Scope, keyId: string, path: string, extra: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams({ region: scope.region, account: scope.account });
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) params.set(name, value);
  return `/api/keys/${encodeURIComponent(keyId)}/${path}?${params}`;
};

export const keyDetailQueries = {
  policy: (scope: Scope, keyId: string) =>
    queryOptions({
      queryKey: [...keyQueries.detail(scope, keyId).queryKey, 'policy'] as const,
      queryFn: ({ signal }) => fetchJson<KeyPolicyView>(base(scope, keyId, 'policy/text'), { signal }),
    }),
  rotations: (scope: Scope, keyId: string) =>
    infiniteQueryOptions({
      queryKey: [...keyQueries.detail(scope, keyId).queryKey, 'rotations'] as const,
      queryFn: ({ signal, pageParam }) => fetchJson<RotationPage>(base(scope, keyId, 'rotations', { marker: pageParam }), { signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextMarker,
    }),
  activity: (scope: Scope, keyId: string, filter: ActivityFilter) =>
    infiniteQueryOptions({
      queryKey: [...keyQueries.detail(scope, keyId).queryKey, 'activity', filter] as const,
      queryFn: ({ signal, pageParam }) => fetchJson<ActivityPage>(base(scope, keyId, 'activity', { filter, next: pageParam }), { signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextToken,
      // Activity changes with every call anyone makes; a revisit of the tab asks again.
      staleTime: 0,
    }),
};

/** The public key download's URL (a route handler answering with an attachment). */
export const publicKeyUrl = (scope: Scope, keyId: string, format: 'pem' | 'der') => base(scope, keyId, 'public-key', { format });
