'use client';
/**
 * The usage page: range and filters (held in the URL), sync progress, cost cards, the charts, and the
 * raw events of the current view. Picking a chart item (a legend entry, a top key or caller) filters
 * everything below it; the chips undo a filter.
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
import { usageParams, usageQueries } from '@/lib/queries/usage';
import type { SeriesPoint } from '@/lib/usage/aggregate';
import { checkCustomRange, FIXED_RANGES, rangeLabel, type RangeChoice } from '@/lib/usage/range';
import type { UsageQuery, UsageReport } from '@/lib/usage/report-types';
import { CostCards, usd } from './cost-cards';
import { EventsTable } from './events-table';
import { RangePicker } from './range-picker';
import { progressOf, SyncStatus } from './sync-status';
import { TimeChart, type ChartSeries } from './time-chart';
import { TopList } from './top-list';
import { download } from '@/components/ui/download';

const FILTERS = [
  ['key', 'Key'],
  ['op', 'Operation'],
  ['caller', 'Caller'],
  ['error', 'Error'],
] as const;

function Panel({ title, description, children, className, actions }: { title: string; description?: string; children: React.ReactNode; className?: string; actions?: React.ReactNode }) {
  return (
    <section aria-label={title} className={cn('rounded-xl border bg-white p-4 dark:bg-zinc-900', className)}>
      <div className="mb-3 flex items-start justify-between gap-2">
        <div>
          <h2 className="text-sm font-semibold">{title}</h2>
          {description && <p className="text-xs text-zinc-600 dark:text-zinc-400">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Buckets from..to and one series per name, zero-filled. */
function toSeries(points: SeriesPoint[], from: number, to: number, bucket: number, label?: (name: string) => string) {
  const x: number[] = [];
  for (let t = Math.floor(from / bucket) * bucket; t < to; t += bucket) x.push(t);
  const index = new Map(x.map((t, i) => [t, i]));
  const byName = new Map<string, number[]>();
  for (const p of points) {
    let values = byName.get(p.series);
    if (!values) byName.set(p.series, (values = new Array<number>(x.length).fill(0)));
    const i = index.get(p.t);
    if (i !== undefined) values[i] += p.calls;
  }
  const series: ChartSeries[] = [...byName.entries()]
    .map(([name, values]) => ({ name, label: label?.(name), values }))
    .sort((a, b) => b.values.reduce((s, v) => s + v, 0) - a.values.reduce((s, v) => s + v, 0));
  return { x, series };
}

const CSV = 'text/csv;charset=utf-8';

const shortArn = (arn: string) => arn.split('/').pop() ?? arn;

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

  const setQuery = useCallback(
    (change: Partial<UsageQuery>) => {
      const next = { ...query, ...change };
      window.history.replaceState(null, '', `${pathname}?${usageParams(next)}`);
    },
    [query, pathname],
  );
  const toggle = (name: 'key' | 'op' | 'caller' | 'error', value: string) => setQuery({ [name]: query[name] === value ? undefined : value });

  // A custom range from a link is checked before anything is asked for; the picker shows why it is refused.
  const [nowS] = useState(() => Math.floor(Date.now() / 1000));
  const rangeOk = query.range !== 'custom' || checkCustomRange(query.from, query.to, nowS, windowDays).ok;
  const report = useQuery({ ...usageQueries.report(query), enabled: rangeOk });
  const events = useInfiniteQuery({ ...usageQueries.events(query), enabled: rangeOk });
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

  const charts = useMemo(() => {
    if (!data) return null;
    const calls = toSeries(data.callsOverTime, data.from, data.to, data.bucket);
    const errors = toSeries(data.errorsOverTime, data.from, data.to, data.bucket);
    const sym = toSeries(
      data.peaks.filter((p) => p.quotaClass === 'symmetric').map((p) => ({ t: p.t, series: 'Busiest second (symmetric)', calls: p.peak })),
      data.from,
      data.to,
      data.bucket,
    );
    const costX = data.cost?.days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000) ?? [];
    const cost: ChartSeries[] = data.cost
      ? [
          { name: 'Key storage & rotation', values: data.cost.days.map((d) => d.storage) },
          { name: 'Requests (after free tier)', values: data.cost.days.map((d) => d.requests) },
        ]
      : [];
    return { calls, errors, sym, costX, cost };
  }, [data]);

  const exportView = () => {
    if (!data) return;
    const rows: string[][] = [
      ...data.callsOverTime.map((p) => ['calls', new Date(p.t * 1000).toISOString(), p.series, String(p.calls)]),
      ...data.errorsOverTime.map((p) => ['errors', new Date(p.t * 1000).toISOString(), p.series, String(p.calls)]),
      ...data.topKeys.map((k) => ['top key', '', k.name, String(k.calls)]),
      ...data.topCallers.map((k) => ['top caller', '', k.name, String(k.calls)]),
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
        {activeFilters.length > 0 && (
          <ul className="flex flex-wrap gap-1.5" aria-label="Filters">
            {activeFilters.map(([name, title]) => (
              <li key={name}>
                <button type="button" onClick={() => setQuery({ [name]: undefined })} className={cn('inline-flex items-center gap-1 rounded-full border border-blue-300 bg-blue-50 px-2.5 py-0.5 text-xs text-blue-900 hover:bg-blue-100 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-100', focusRing)}>
                  {title}: {filterText(name, query[name]!)}
                  <X aria-hidden="true" className="size-3" />
                  <span className="sr-only">(remove filter)</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="ml-auto flex gap-2">
          <Button size="sm" onClick={exportView} disabled={!data}>
            <Download aria-hidden="true" />
            Export charts CSV
          </Button>
          <Button size="sm" asChild>
            <a href={`/api/usage/export?${usageParams(query)}`} download>
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
            <Panel title="Calls over time" description="Stacked by operation. Pick an operation to filter.">
              <TimeChart x={charts.calls.x} series={charts.calls.series} kind="stacked-bars" ariaLabel={`Calls over time by operation: ${data.totals.calls} calls`} picked={query.op} onPick={(op) => toggle('op', op)} />
            </Panel>
            <Panel title="Errors over time" description="Refused calls by error code. Pick one to filter.">
              <TimeChart x={charts.errors.x} series={charts.errors.series} kind="stacked-bars" ariaLabel={`Refused calls over time: ${data.totals.errors}`} picked={query.error} onPick={(code) => toggle('error', code)} />
            </Panel>
            <Panel title="Top keys" description="Calls per key in the range. Pick a key to filter.">
              <TopList label="Top keys" items={data.topKeys.map((k) => ({ name: k.name, label: keyLabel(k.name), detail: k.name && names[k.name] ? shortArn(k.name).slice(0, 8) : undefined, value: k.calls, errors: k.errors }))} picked={query.key} onPick={(k) => toggle('key', k)} empty="No calls in this range." />
            </Panel>
            <Panel title="Top callers" description="Calls per principal. Pick a caller to filter.">
              <TopList label="Top callers" items={data.topCallers.map((k) => ({ name: k.name, label: k.name.replace(/^arn:aws:(iam|sts)::\d{12}:/, ''), value: k.calls, errors: k.errors }))} picked={query.caller} onPick={(c) => toggle('caller', c)} empty="No calls in this range." />
            </Panel>
            <Panel title="Peak requests per second" description={`Busiest second per ${data.bucket === 3600 ? 'hour' : 'day'}, symmetric cryptographic operations (whole Region), against the default shared quota.`}>
              <TimeChart x={charts.sym.x} series={charts.sym.series} kind="lines" threshold={{ value: data.symmetricQuota, label: `Quota ${data.symmetricQuota.toLocaleString('en-US')}/s (${query.region})` }} ariaLabel={`Peak symmetric requests per second against the quota of ${data.symmetricQuota} per second`} />
            </Panel>
            <Panel title="User agents" description="Calls per tool or SDK family (Keydeck’s own calls show as keydeck).">
              <TopList label="User agents" items={data.topAgents.map((a) => ({ name: a.name, label: a.name, value: a.calls, errors: a.errors }))} empty="No calls in this range." />
            </Panel>
            <Panel title="Cost over time" description={`Per day, all Regions (${data.cost?.regions.join(', ') ?? ''}): key storage and rotations vs requests.`}>
              {data.cost ? (
                <TimeChart x={charts.costX} series={charts.cost} kind="stacked-bars" format={usd} ariaLabel={`Cost per day: storage and requests; month to date ${usd(data.cost.monthToDate)}`} />
              ) : (
                <p className="text-sm text-red-700 dark:text-red-400">{data.costError}</p>
              )}
            </Panel>
          </div>
        </>
      )}
      {!data && report.isPending && rangeOk && <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading usage…</p>}

      <Panel title="Events" description="The CloudTrail records behind the charts, newest first. Expand a row for its JSON.">
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
