/** Query keys and options for a key's policy (with its editor context) and its grants. */
import { queryOptions } from '@tanstack/react-query';
import type { Scope } from '@/lib/kms/inventory-types';
import type { GrantRow, KeyPolicyPayload } from '@/lib/kms/key-policy-types';
import { fetchJson } from './fetch-json';
import { keyQueries } from './keys';

const path = (keyId: string, what: string, scope: Scope) => `/api/keys/${encodeURIComponent(keyId)}/${what}?${new URLSearchParams({ region: scope.region, account: scope.account })}`;

export const keyPolicyQueries = {
  policy: (scope: Scope, keyId: string) =>
    queryOptions({
      queryKey: [...keyQueries.all(scope), 'policy', keyId] as const,
      queryFn: ({ signal }) => fetchJson<KeyPolicyPayload>(path(keyId, 'policy', scope), { signal }),
    }),
  grants: (scope: Scope, keyId: string) =>
    queryOptions({
      queryKey: [...keyQueries.all(scope), 'grants', keyId] as const,
      queryFn: ({ signal }) => fetchJson<GrantRow[]>(path(keyId, 'grants', scope), { signal }),
    }),
};
