'use client';
/** /audit: the chain verdict, the filters (held in the URL), the log newest first and its CSV export. */
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { auditParams, parseAuditQuery, type AuditQuery } from '@/lib/audit/query';
import { auditExportUrl, auditQueries, fetchFullVerdict } from '@/lib/queries/audit';
import { AuditFilters } from './audit-filters';
import { AuditTable } from './audit-table';
import { ChainVerdictBanner } from './chain-verdict';

export function AuditView({ actions }: { actions: string[] }) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const toast = useToast();
  const query = useMemo(() => parseAuditQuery((n) => searchParams.get(n)), [searchParams]);
  const setQuery = useCallback(
    (next: AuditQuery) => {
      const qs = auditParams(next);
      window.history.replaceState(null, '', qs ? `${pathname}?${qs}` : pathname);
    },
    [pathname],
  );

  const entries = useInfiniteQuery(auditQueries.entries(query));
  const verdict = useQuery(auditQueries.verdict());
  const [verifying, setVerifying] = useState(false);
  const [expanded, setExpanded] = useState<number | null>(null);
  const rows = useMemo(() => entries.data?.pages.flatMap((p) => p.entries) ?? [], [entries.data]);
  const filtered = Object.keys(query).length > 0;

  const verifyAll = async () => {
    setVerifying(true);
    try {
      queryClient.setQueryData(auditQueries.verdict().queryKey, await fetchFullVerdict());
    } catch (error) {
      toast({ tone: 'error', title: error instanceof Error ? error.name : 'Error', description: error instanceof Error ? error.message : String(error) });
    } finally {
      setVerifying(false);
    }
  };

  return (
    <div className="flex flex-col gap-4 px-6 pb-8">
      <ChainVerdictBanner status={verdict.data} error={verdict.error?.message} verifying={verifying} onVerifyAll={verifyAll} />
      <AuditFilters query={query} actions={actions} onChange={setQuery} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {entries.isPending ? 'Loading entries…' : `${rows.length}${entries.hasNextPage ? '+' : ''} ${rows.length === 1 && !entries.hasNextPage ? 'entry' : 'entries'}${filtered ? (rows.length === 1 && !entries.hasNextPage ? ' matches these filters' : ' match these filters') : ''}, newest first`}
        </p>
        <Button asChild size="sm">
          <a href={auditExportUrl(query)} download>
            <Download aria-hidden="true" />
            Export CSV
          </a>
        </Button>
      </div>
      {entries.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {entries.error.name}: {entries.error.message}
        </p>
      ) : rows.length === 0 && !entries.isPending ? (
        <p className="rounded-xl border border-zinc-200 bg-white py-8 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          {filtered ? 'No entries match these filters.' : 'Nothing recorded yet: every change made in this console will appear here.'}
        </p>
      ) : (
        <AuditTable entries={rows} brokenAt={verdict.data && !verdict.data.verdict.ok ? verdict.data.verdict.brokenAt : null} expanded={expanded} onToggle={(seq) => setExpanded((open) => (open === seq ? null : seq))} />
      )}
      {entries.hasNextPage && (
        <Button className="self-center" onClick={() => void entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
          {entries.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
        </Button>
      )}
    </div>
  );
}
