/**
 * Query keys and options for KMS keys (TkDodo's factory pattern): the server prefetch and the browser
 * hooks share these, so a hydrated query and a refetch land in the same cache entry.
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Inventory, Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { fetchJson } from './fetch-json';

const qs = (scope: Scope, extra: Record<string, string> = {}) => new URLSearchParams({ region: scope.region, account: scope.account, ...extra }).toString();

export const keyQueries = {
  all: (scope: Scope) => ['keys', scope.account, scope.region] as const,
  list: (scope: Scope) =>
    queryOptions({
      queryKey: [...keyQueries.all(scope), 'list'] as const,
      queryFn: ({ signal }) => fetchJson<Inventory>(`/api/keys?${qs(scope)}`, { signal }),
    }),
  detail: (scope: Scope, keyId: string) =>
    queryOptions({
      queryKey: [...keyQueries.all(scope), 'detail', keyId] as const,
      queryFn: ({ signal }) => fetchJson<KeyDetail>(`/api/keys/${encodeURIComponent(keyId)}?${qs(scope)}`, { signal }),
    }),
};

/** Reloads the inventory from KMS (bypassing the server's cache) and puts the result in the list query. */
export function useRefreshInventory(scope: Scope) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<Inventory>(`/api/keys?${qs(scope, { refresh: '1' })}`),
    onSuccess: (inventory) => {
      queryClient.setQueryData(keyQueries.list(scope).queryKey, inventory);
      // Details may have changed too; they reload when next shown.
      return queryClient.invalidateQueries({ queryKey: [...keyQueries.all(scope), 'detail'] });
    },
  });
}
