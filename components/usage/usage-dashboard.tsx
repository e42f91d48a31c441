'use client';
/**
 * The usage page: range and filters (held in the URL), sync progress, cost cards, the charts, and the
 * raw events of the current view. Picking a chart item (a legend entry, a top key or caller) filters
 * everything below it; a time bucket clicked on a chart, or a user agent, narrows the events table
 * only (the charts keep their view). The chips undo a filter.
 */
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, X } from 'lucide-react';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { syncUsageNowAction } from '@/app/(console)/usage/actions';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { toCsv } from '@/lib/format/csv';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { drillParams, usageParams, usageQueries } from '@/lib/queries/usage';
import { parseDrill, type Drill } from '@/lib/usage-drill/drill';
import { checkCustomRange, FIXED_RANGES, rangeLabel, type RangeChoice } from '@/lib/usage/range';
import type { UsageQuery, UsageReport } from '@/lib/usage/report-types';
import { CostCards } from './cost-cards';
import { EventsTable } from './events-table';
import { RangePicker } from './range-picker';
import { progressOf, SyncStatus } from './sync-status';
import { TopList } from './top-list';
import { bucketLabel, CallsOverTimePanel, CostOverTimePanel, ErrorsOverTimePanel, Panel, PeakPanel, useReportSeries, type TimePick } from './usage-charts';
import { download } from '@/components/ui/download';

const FILTERS = [
  ['key', 'Key'],
  ['op', 'Operation'],
  ['caller', 'Caller'],
  ['error', 'Error'],
] as const;

const CSV = 'text/csv;charset=utf-8';

const shortArn = (arn: string) => arn.split('/').pop() ?? arn;

/** The events table's narrowing from a link; a hand-edited bad value is dropped rather than refused. */
function drillOf(params: URLSearchParams): Drill {
  try {
    return parseDrill(params);
  } catch {
    return {};
  }
}

function Chip({ children, onRemove }: { children: React.ReactNode; onRemove: () => void }) {
  return (
    <button type="button" onClick={onRemove} className={cn('inline-flex items-center gap-1 rounded-full border border-blue-300 bg-blue-50 px-2.5 py-0.5 text-xs text-blue-900 hover:bg-blue-100 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-100', focusRing)}>
      {children}
      <X aria-hidden="true" className="size-3" />
      <span className="sr-only">(remove filter)</span>
    </button>
  );
}

/** `windowDays`: how far back a custom range may start (the store's raw-event retention). */
export function UsageDashboard({ initial, windowDays }: { initial: UsageQuery; windowDays: number }) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const query: UsageQuery = useMemo(() => {
    const get = (n: string) => searchParams.get(n) ?? undefined;
    const range = get('range');
    const custom = range === 'custom';
    return {
      region: initial.region,
      ...(initial.account === undefined ? {} : { account: initial.account }),
      range: custom ? 'custom' : range && range in FIXED_RANGES ? (range as RangeChoice) : initial.range,
      from: custom ? get('from') : undefined,
      to: custom ? get('to') : undefined,
      key: get('key'),
      op: get('op'),
      caller: get('caller'),
      error: get('error'),
      hideKeydeck: get('own') === 'hide' || undefined,
    };
  }, [searchParams, initial.region, initial.account, initial.range]);

  const drill: Drill = useMemo(() => drillOf(new URLSearchParams(searchParams.toString())), [searchParams]);

  const writeUrl = useCallback((q: UsageQuery, d: Drill) => window.history.replaceState(null, '', `${pathname}?${usageParams(q, drillParams(d))}`), [pathname]);
  const setQuery = useCallback(
    (change: Partial<UsageQuery>) => {
      const next = { ...query, ...change };
      // A picked time bucket belongs to the old range.
      const rangeChanged = next.range !== query.range || next.from !== query.from || next.to !== query.to;
      writeUrl(next, rangeChanged ? { ...drill, bucket: undefined } : drill);
    },
    [query, drill, writeUrl],
  );
  const setDrill = (change: Partial<Drill>) => writeUrl(query, { ...drill, ...change });
  const time: TimePick = {
    picked: drill.bucket,
    onPick: (at, span) => setDrill({ bucket: drill.bucket?.at === at && drill.bucket.span === span ? undefined : { at, span } }),
  };
  const toggle = (name: 'key' | 'op' | 'caller' | 'error', value: string) => setQuery({ [name]: query[name] === value ? undefined : value });

  // A custom range from a link is checked before anything is asked for; the picker shows why it is refused.
  const [nowS] = useState(() => Math.floor(Date.now() / 1000));
  const rangeOk = query.range !== 'custom' || checkCustomRange(query.from, query.to, nowS, windowDays).ok;
  const report = useQuery({ ...usageQueries.report(query), enabled: rangeOk });
  const events = useInfiniteQuery({ ...usageQueries.events(query, drill), enabled: rangeOk });
  const sync = useQuery({ ...usageQueries.sync(), refetchInterval: (q) => (q.state.data?.regions.some((r) => r.running) ? 1000 : 15_000) });
  const progress = progressOf(sync.data, query.region, query.account);
  const syncAction = useActionMutation(syncUsageNowAction, { invalidates: () => [usageQueries.sync().queryKey] });

  // When a sync finishes, the charts and events reload from the store.
  const wasRunning = useRef(false);
  useEffect(() => {
    const running = progress?.running ?? false;
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: usageQueries.all() });
    wasRunning.current = running;
  }, [progress?.running, queryClient]);

  const [expanded, setExpanded] = useState<string | null>(null);
  const record = useQuery({ ...usageQueries.event(query.region, expanded ?? '', query.account), enabled: expanded !== null });

  const data: UsageReport | undefined = report.data;
  const names = data?.keyNames ?? {};
  const keyLabel = (arn: string) => (arn ? (names[arn] ?? shortArn(arn)) : '(no key)');
  const eventRows = useMemo(() => events.data?.pages.flatMap((p) => p.events) ?? [], [events.data]);

  const charts = useReportSeries(data);

  const exportView = () => {
    if (!data) return;
    const rows: string[][] = [
      ...data.callsOverTime.map((p) => ['calls', new Date(p.t * 1000).toISOString(), p.series, String(p.calls)]),
      ...data.errorsOverTime.map((p) => ['errors', new Date(p.t * 1000).toISOString(), p.series, String(p.calls)]),
      ...data.topKeys.map((k) => ['top key', '', k.name, String(k.calls)]),
      ...data.topCallers.map((k) => ['top caller', '', k.name, String(k.calls)]),
      ...data.topAgents.map((a) => ['user agent', '', a.name, String(a.calls)]),
      ...data.peaks.map((p) => [`peak ${p.quotaClass} per second`, new Date(p.t * 1000).toISOString(), '', String(p.peak)]),
      ...(data.cost?.days.flatMap((d) => [['cost storage USD', d.day, '', d.storage.toFixed(6)], ['cost requests USD', d.day, '', d.requests.toFixed(6)]]) ?? []),
    ];
    download(toCsv(['chart', 'time', 'item', 'value'], rows), `keydeck-usage-view-${query.region}-${rangeLabel(query).replace(/[^0-9a-z-]+/gi, '_')}.csv`, CSV);
  };

  const activeFilters = FILTERS.filter(([name]) => query[name] !== undefined);
  const filterText = (name: (typeof FILTERS)[number][0], value: string) => (name === 'key' ? keyLabel(value) : name === 'error' && value === '*' ? 'any error' : value);

  return (
    <div className="space-y-4 px-6 pb-8">
      <div className="flex flex-wrap items-center gap-3">
        <RangePicker value={query} windowDays={windowDays} onChange={(r) => setQuery({ range: r.range, from: r.from, to: r.to })} />
        <label className="inline-flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          <input
            type="checkbox"
            className="size-4 rounded border-zinc-300 accent-zinc-900 dark:accent-zinc-100"
            checked={query.hideKeydeck ?? false}
            onChange={(e) => setQuery({ hideKeydeck: e.target.checked || undefined })}
          />
          Hide Keydeck’s own calls
        </label>
        {(activeFilters.length > 0 || drill.bucket || drill.agent !== undefined) && (
          <ul className="flex flex-wrap gap-1.5" aria-label="Filters">
            {activeFilters.map(([name, title]) => (
              <li key={name}>
                <Chip onRemove={() => setQuery({ [name]: undefined })}>
                  {title}: {filterText(name, query[name]!)}
                </Chip>
              </li>
            ))}
            {drill.bucket && (
              <li>
                <Chip onRemove={() => setDrill({ bucket: undefined })}>Events in: {bucketLabel(drill.bucket.at, drill.bucket.span)}</Chip>
              </li>
            )}
            {drill.agent !== undefined && (
              <li>
                <Chip onRemove={() => setDrill({ agent: undefined })}>User agent: {drill.agent}</Chip>
              </li>
            )}
          </ul>
        )}
        <div className="ml-auto flex gap-2">
          <Button size="sm" onClick={exportView} disabled={!data}>
            <Download aria-hidden="true" />
            Export charts CSV
          </Button>
          <Button size="sm" asChild>
            <a href={`/api/usage/export?${usageParams(query, drillParams(drill))}`} download>
              <Download aria-hidden="true" />
              Export events CSV
            </a>
          </Button>
        </div>
      </div>

      <SyncStatus overview={sync.data} region={query.region} account={query.account} starting={syncAction.isPending} onSyncNow={() => syncAction.mutate({ region: query.region, account: query.account })} />

      {report.isError && <p className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">{report.error.name}: {report.error.message}</p>}
      {data && charts && (
        <>
          <CostCards report={data} />
          <div className="grid gap-4 xl:grid-cols-2">
            <CallsOverTimePanel report={data} series={charts} time={time} picked={query.op} onPick={(op) => toggle('op', op)} />
            <ErrorsOverTimePanel report={data} series={charts} time={time} picked={query.error} onPick={(code) => toggle('error', code)} />
            <Panel title="Top keys" description="Calls per key in the range. Pick a key to filter.">
              <TopList label="Top keys" items={data.topKeys.map((k) => ({ name: k.name, label: keyLabel(k.name), detail: k.name && names[k.name] ? shortArn(k.name).slice(0, 8) : undefined, value: k.calls, errors: k.errors }))} picked={query.key} onPick={(k) => toggle('key', k)} empty="No calls in this range." />
            </Panel>
            <Panel title="Top callers" description="Calls per principal. Pick a caller to filter.">
              <TopList label="Top callers" items={data.topCallers.map((k) => ({ name: k.name, label: k.name.replace(/^arn:aws:(iam|sts)::\d{12}:/, ''), value: k.calls, errors: k.errors }))} picked={query.caller} onPick={(c) => toggle('caller', c)} empty="No calls in this range." />
            </Panel>
            <PeakPanel report={data} series={charts} time={time} />
            <Panel title="User agents" description="Calls per tool or SDK family (Keydeck’s own calls show as keydeck). Pick one to list its events.">
              <TopList label="User agents" items={data.topAgents.map((a) => ({ name: a.name, label: a.name, value: a.calls, errors: a.errors }))} picked={drill.agent} onPick={(agent) => setDrill({ agent: drill.agent === agent ? undefined : agent })} empty="No calls in this range." />
            </Panel>
            <CostOverTimePanel report={data} series={charts} time={time} />
          </div>
        </>
      )}
      {!data && report.isPending && rangeOk && <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading usage…</p>}

      <Panel
        title="Events"
        description={`The CloudTrail records behind the charts, newest first${drill.bucket ? `, in ${bucketLabel(drill.bucket.at, drill.bucket.span)}` : ''}${drill.agent !== undefined ? `, from ${drill.agent}` : ''}. Expand a row for its JSON.`}
      >
        <EventsTable
          events={eventRows}
          keyNames={names}
          expanded={expanded}
          onToggle={(id) => setExpanded((e) => (e === id ? null : id))}
          record={{ loading: record.isPending && expanded !== null, text: record.data ? JSON.stringify(record.data.record, null, 2) : undefined, error: record.error ? `${record.error.name}: ${record.error.message}` : undefined }}
          hasMore={events.hasNextPage}
          loadMore={() => void events.fetchNextPage()}
          loading={events.isFetching}
        />
      </Panel>
    </div>
  );
}
