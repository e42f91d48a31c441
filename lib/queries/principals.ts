/** Query options for the create-key wizard's reads: the principals of a region, and whether an alias is free. */
import { queryOptions } from '@tanstack/react-query';
import type { Scope } from '@/lib/kms/inventory-types';
import type { PrincipalList } from '@/lib/kms/principals';
import { fetchJson } from './fetch-json';

export const principalQueries = {
  all: (scope: Scope) => ['principals', scope.account, scope.region] as const,
  list: (scope: Scope) =>
    queryOptions({
      queryKey: [...principalQueries.all(scope), 'list'] as const,
      queryFn: ({ signal }) => fetchJson<PrincipalList>(`/api/principals?${new URLSearchParams({ region: scope.region, account: scope.account })}`, { signal }),
      staleTime: 60_000,
    }),
};

/** Asks the server (ListAliases) whether `alias` is free in the scope's account and region. */
export async function checkAliasAvailable(scope: Scope, alias: string): Promise<boolean> {
  const answer = await fetchJson<{ alias: string; available: boolean }>(`/api/alias-check?${new URLSearchParams({ region: scope.region, account: scope.account, alias })}`);
  return answer.available;
}
