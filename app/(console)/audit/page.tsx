import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { AuditView } from '@/components/audit/audit-view';
import { PageHeader } from '@/components/shell/page-header';
import { auditActionNames, listAuditEntries } from '@/lib/audit/log';
import { parseAuditQuery, toAuditFilter } from '@/lib/audit/query';
import { auditChainStatus } from '@/lib/audit/verdict';
import { auditQueries } from '@/lib/queries/audit';
import { makeQueryClient } from '@/lib/queries/query-client';
import { sharedStore } from '@/lib/store/shared';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit' };

const FIRST_PAGE = 100;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const query = parseAuditQuery((n) => {
    const v = params[n];
    return Array.isArray(v) ? v[0] : v;
  });
  const queryClient = makeQueryClient();
  let actions: string[] = [];
  try {
    const store = await sharedStore();
    // A user limited to some accounts sees only those accounts' entries.
    const accounts = (await currentUser())?.accounts ?? undefined;
    const [entries, status, names] = await Promise.all([
      listAuditEntries(store.db, { ...toAuditFilter(query), accounts }, { limit: FIRST_PAGE }),
      auditChainStatus(store),
      auditActionNames(store.db),
    ]);
    actions = names;
    const last = entries.at(-1);
    await queryClient.prefetchInfiniteQuery({
      ...auditQueries.entries(query),
      queryFn: () => ({ entries, next: entries.length === FIRST_PAGE && last ? String(last.seq) : null }),
    });
    await queryClient.prefetchQuery({ ...auditQueries.verdict(), queryFn: () => status });
  } catch {
    // The browser's queries fetch /api/audit themselves and show the error inline.
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Audit"
        description="Every change made in this console: who, when, from where, and what came of it. Append-only and hash-chained."
      />
      <AuditView actions={actions} />
    </HydrationBoundary>
  );
}
