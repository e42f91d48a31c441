/** The QueryClient settings shared by the server prefetch and the browser cache. */
import { QueryClient } from '@tanstack/react-query';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Hydrated server data is fresh: without a staleTime the browser would refetch it at once.
        staleTime: 30_000,
        // A KMS error (AccessDenied, a bad region) will not fix itself on an immediate retry.
        retry: false,
        refetchOnWindowFocus: false,
      },
      // Prefetched data crosses to the browser as one JSON string: React's RSC payload carries a
      // string far faster than a tree of 10,000 row objects, and JSON.parse is the browser's fastest reader.
      dehydrate: { serializeData: (data: unknown) => JSON.stringify(data) },
      hydrate: { deserializeData: (data: unknown) => (typeof data === 'string' ? JSON.parse(data) : data) },
    },
  });
}
