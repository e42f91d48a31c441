/** Query keys and options for /audit: pages of the log per filtered view, and the chain verdict. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { AuditEntry } from '@/lib/audit/log';
import { auditParams, type AuditQuery } from '@/lib/audit/query';
import type { ChainStatus } from '@/lib/audit/verdict';
import { fetchJson } from './fetch-json';

export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

export const auditQueries = {
  all: () => ['audit'] as const,
  entries: (q: AuditQuery) =>
    infiniteQueryOptions({
      queryKey: [...auditQueries.all(), 'entries', q] as const,
      queryFn: ({ signal, pageParam }) => fetchJson<AuditPage>(`/api/audit?${auditParams(q, pageParam ? { before: pageParam } : {})}`, { signal }),
      initialPageParam: '',
      getNextPageParam: (last) => last.next ?? undefined,
    }),
  verdict: () =>
    queryOptions({
      queryKey: [...auditQueries.all(), 'verdict'] as const,
      queryFn: ({ signal }) => fetchJson<ChainStatus>('/api/audit/verdict', { signal }),
    }),
};

export const auditExportUrl = (q: AuditQuery) => `/api/audit/export?${auditParams(q)}`;

/** Walks the whole chain now (the "Verify all now" button), bypassing the remembered prefix. */
export const fetchFullVerdict = () => fetchJson<ChainStatus>('/api/audit/verdict?full=1');
