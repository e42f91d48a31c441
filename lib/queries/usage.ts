/** Query keys and options for the usage page: the report per view, the sync status, and raw-event pages. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { EventRow, RangeName } from '@/lib/usage/aggregate';
import type { SyncOverview } from '@/lib/usage/sync-types';
import type { KeyUsageReport, UsageQuery, UsageReport } from '@/lib/usage/report-types';
import type { UnusedDays } from '@/lib/usage/range';
import type { UnusedKeysReport } from '@/lib/usage/unused';
import type { Drill } from '@/lib/usage-drill/drill';
import { fetchJson } from './fetch-json';

export function usageParams(q: UsageQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ region: q.region, range: q.range });
  if (q.account !== undefined) params.set('account', q.account);
  if (q.range === 'custom') {
    if (q.from !== undefined) params.set('from', q.from);
    if (q.to !== undefined) params.set('to', q.to);
  }
  if (q.key !== undefined) params.set('key', q.key);
  if (q.op !== undefined) params.set('op', q.op);
  if (q.caller !== undefined) params.set('caller', q.caller);
  if (q.error !== undefined) params.set('error', q.error);
  if (q.hideKeydeck) params.set('own', 'hide');
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

/** The events table's narrowing past the charts (a time bucket, a user agent) as URL parameters. */
export function drillParams(d: Drill): Record<string, string> {
  const out: Record<string, string> = {};
  if (d.bucket) {
    out.at = String(d.bucket.at);
    out.span = String(d.bucket.span);
  }
  if (d.agent !== undefined) out.agent = d.agent;
  return out;
}

export const usageQueries = {
  all: () => ['usage'] as const,
  report: (q: UsageQuery) =>
    queryOptions({
      queryKey: [...usageQueries.all(), 'report', q] as const,
      queryFn: ({ signal }) => fetchJson<UsageReport>(`/api/usage?${usageParams(q)}`, { signal }),
      placeholderData: (previous) => previous,
    }),
  events: (q: UsageQuery, drill: Drill = {}) =>
    infiniteQueryOptions({
      queryKey: [...usageQueries.all(), 'events', q, drill] as const,
      queryFn: ({ signal, pageParam }) =>
        fetchJson<{ events: EventRow[]; next: string | null }>(`/api/usage/events?${usageParams(q, { ...drillParams(drill), ...(pageParam ? { before: pageParam } : {}) })}`, { signal }),
      initialPageParam: '',
      getNextPageParam: (last) => last.next ?? undefined,
    }),
  event: (region: string, eventId: string, account?: string) =>
    queryOptions({
      queryKey: [...usageQueries.all(), 'event', account ?? '', region, eventId] as const,
      queryFn: ({ signal }) =>
        fetchJson<{ record: unknown }>(`/api/usage/events/${encodeURIComponent(eventId)}?${new URLSearchParams({ region, ...(account === undefined ? {} : { account }) })}`, { signal }),
      staleTime: Infinity,
    }),
  key: (region: string, keyId: string, range: RangeName) =>
    queryOptions({
      queryKey: [...usageQueries.all(), 'key', region, keyId, range] as const,
      queryFn: ({ signal }) =>
        fetchJson<KeyUsageReport>(`/api/usage/key?${new URLSearchParams({ region, key: keyId, range })}`, { signal }),
      placeholderData: (previous) => previous,
    }),
  unused: (region: string, days: UnusedDays, account?: string) =>
    queryOptions({
      queryKey: [...usageQueries.all(), 'unused', account ?? '', region, days] as const,
      queryFn: ({ signal }) =>
        fetchJson<UnusedKeysReport>(`/api/usage/unused?${new URLSearchParams({ region, days: String(days), ...(account === undefined ? {} : { account }) })}`, { signal }),
      placeholderData: (previous) => previous,
    }),
  sync: () =>
    queryOptions({
      queryKey: ['usage-sync'] as const,
      queryFn: ({ signal }) => fetchJson<SyncOverview>('/api/usage/sync', { signal }),
    }),
};
