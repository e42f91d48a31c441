'use client';
/** Recent activity: this key's CloudTrail events, newest first, with a filter and "load more". */
import { RefreshCw } from 'lucide-react';
import { useId } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format/date';
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';
import type { ActivityEvent, ActivityFilter } from '@/lib/kms/key-detail-types';
import { Card, Mono, Notice } from './parts';

export interface ActivityView {
  events: ActivityEvent[] | undefined;
  error: KmsErrorInfo | null;
  filter: ActivityFilter;
  onFilterChange: (filter: ActivityFilter) => void;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  refreshing: boolean;
  refresh: () => void;
}

const FILTER_LABELS: Record<ActivityFilter, string> = {
  'no-reads': 'Hide Describe/Get/List calls',
  changes: 'Changes only',
  all: 'All events',
};

export function ActivityPanel({ view }: { view: ActivityView }) {
  const id = useId();
  return (
    <Card
      title="Recent activity"
      description="This key's CloudTrail events (LookupEvents by resource name), newest first. KMS calls are management events: the last 90 days are there without a trail."
      actions={
        <>
          <label htmlFor={id} className="sr-only">
            Which events
          </label>
          <Select id={id} className="w-60" value={view.filter} onChange={(e) => view.onFilterChange(e.target.value as ActivityFilter)}>
            {(Object.keys(FILTER_LABELS) as ActivityFilter[]).map((f) => (
              <option key={f} value={f}>
                {FILTER_LABELS[f]}
              </option>
            ))}
          </Select>
          <Button size="icon" aria-label="Refresh activity" title="Refresh activity" disabled={view.refreshing} onClick={view.refresh}>
            <RefreshCw aria-hidden="true" className={view.refreshing ? 'animate-spin' : undefined} />
          </Button>
        </>
      }
    >
      {view.error ? (
        <Notice tone="warning">
          <span className="font-mono font-semibold">{view.error.name}</span>: {view.error.message}
        </Notice>
      ) : !view.events ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading events…</p>
      ) : view.events.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No events{view.hasMore ? ' on this page' : ''}.</p>
      ) : (
        <div className="overflow-x-auto">
          <Table aria-label="Recent activity">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Time</TableHeaderCell>
                <TableHeaderCell>Event</TableHeaderCell>
                <TableHeaderCell>Caller</TableHeaderCell>
                <TableHeaderCell>Source IP</TableHeaderCell>
                <TableHeaderCell>Error</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {view.events.map((e) => (
                <TableRow key={e.id}>
                  <TableCell className="py-2 whitespace-nowrap">{formatDateTime(e.at)}</TableCell>
                  <TableCell className="py-2 font-medium">{e.name}</TableCell>
                  <TableCell className="max-w-80 py-2">
                    <Mono>{e.caller}</Mono>
                  </TableCell>
                  <TableCell className="py-2">
                    <Mono>{e.sourceIp ?? '—'}</Mono>
                  </TableCell>
                  <TableCell className="py-2" title={e.errorMessage}>
                    {e.errorCode ? <Badge tone="danger">{e.errorCode}</Badge> : <span className="text-zinc-500 dark:text-zinc-400">—</span>}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {view.hasMore && (
        <Button className="mt-3" size="sm" disabled={view.loadingMore} onClick={view.loadMore}>
          {view.loadingMore ? 'Loading…' : 'Load more events'}
        </Button>
      )}
    </Card>
  );
}
