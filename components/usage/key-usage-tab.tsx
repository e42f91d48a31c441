'use client';
/**
 * The key detail's Usage tab: the /usage charts for this key (its calls by operation, its refused calls,
 * the Region's busiest second against the shared quota), its calls by API and by caller, and its cost per
 * month. A time bucket clicked on a chart opens /usage on that key with the bucket's events.
 */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { drillParams, usageParams, usageQueries } from '@/lib/queries/usage';
import type { RangeName } from '@/lib/usage/aggregate';
import type { KeyUsageReport, UsageQuery } from '@/lib/usage/report-types';
import { usd } from './cost-cards';
import { TimeChart, type ChartSeries } from './time-chart';
import { TopList } from './top-list';
import { CallsOverTimePanel, ErrorsOverTimePanel, Panel, PeakPanel, useReportSeries, type TimePick } from './usage-charts';

const RANGES: [RangeName, string][] = [
  ['7d', '7 d'],
  ['30d', '30 d'],
  ['90d', '90 d'],
];

const monthStart = (month: string) => Date.parse(`${month}-01T00:00:00Z`) / 1000;

/** The key's cost per month as a chart: storage and rotations vs its requests (before the account's free tier). */
function useMonthSeries(months: KeyUsageReport['months'] | undefined) {
  return useMemo(() => {
    const rows = months ?? [];
    const series: ChartSeries[] = [
      { name: 'Key storage & rotation', values: rows.map((m) => m.storage) },
      { name: 'Requests (before free tier)', values: rows.map((m) => m.requestCost) },
    ];
    return { x: rows.map((m) => monthStart(m.month)), series };
  }, [months]);
}

export function KeyUsageTab({ region, keyId }: { region: string; keyId: string }) {
  const router = useRouter();
  const [range, setRange] = useState<RangeName>('30d');
  const keyReport = useQuery(usageQueries.key(region, keyId, range));
  const data = keyReport.data;
  // The page's report with this key as its filter: the same charts as /usage, for this key.
  const query: UsageQuery | null = data ? { region, range, key: data.keyArn } : null;
  const charts = useQuery({ ...usageQueries.report(query ?? { region, range }), enabled: query !== null });
  const chartData = query && charts.data?.query.key === query.key && charts.data?.query.range === range ? charts.data : undefined;
  const series = useReportSeries(chartData);
  const monthSeries = useMonthSeries(data?.months);
  const label = RANGES.find(([r]) => r === range)?.[1] ?? range;
  const time: TimePick | undefined = query ? { onPick: (at, span) => router.push(`/usage?${usageParams(query, drillParams({ bucket: { at, span } }))}`) } : undefined;
  const error = keyReport.error ?? charts.error;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <div role="radiogroup" aria-label="Usage time range" className="inline-flex rounded-lg border bg-white p-0.5 dark:bg-zinc-900">
          {RANGES.map(([r, text]) => (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={range === r}
              onClick={() => setRange(r)}
              className={cn('rounded-md px-3 py-1 text-sm', range === r ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800', focusRing)}
            >
              {text}
            </button>
          ))}
        </div>
        {data && (
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            <span className="font-semibold tabular-nums">{data.totals.calls.toLocaleString('en-US')}</span> calls in the last {label}
            {data.totals.errors > 0 && <span className="text-red-700 dark:text-red-400">, {data.totals.errors.toLocaleString('en-US')} refused</span>}
          </p>
        )}
        {data && (
          <Link href={`/usage?${new URLSearchParams({ region, range, key: data.keyArn })}`} className={cn('ml-auto text-sm text-blue-700 hover:underline dark:text-blue-400', focusRing)}>
            All charts on Usage &amp; cost
          </Link>
        )}
      </div>
      {error && <p className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">{error.name}: {error.message}</p>}
      {!data && keyReport.isPending && <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading usage…</p>}
      {data && (
        <div className="grid gap-4 lg:grid-cols-2">
          {chartData && series ? (
            <>
              <CallsOverTimePanel headingLevel={3} report={chartData} series={series} time={time} description="This key’s calls, stacked by operation. Click a bar to list its events on Usage & cost." />
              <ErrorsOverTimePanel headingLevel={3} report={chartData} series={series} time={time} description="This key’s refused calls by error code." />
            </>
          ) : (
            <p className="text-sm text-zinc-500 dark:text-zinc-400 lg:col-span-2">Loading charts…</p>
          )}
          <Panel headingLevel={3} title="Callers" description="Who called this key, and how often.">
            <TopList label="Callers" items={data.byCaller.map((c) => ({ name: c.name, label: c.name.replace(/^arn:aws:(iam|sts)::\d{12}:/, ''), value: c.calls, errors: c.errors }))} empty={`No calls in the last ${label}.`} />
          </Panel>
          <Panel headingLevel={3} title="Calls by API">
            <TopList label="Calls by API" items={data.byApi.map((a) => ({ name: a.name, label: a.name, value: a.calls, errors: a.errors }))} empty={`No calls in the last ${label}.`} />
          </Panel>
          {chartData && series && (
            <PeakPanel
              className="lg:col-span-2"
              headingLevel={3}
              report={chartData}
              series={series}
              time={time}
              description={`Busiest second per ${chartData.bucket === 3600 ? 'hour' : 'day'} of symmetric cryptographic operations in the whole Region: every key shares the quota.`}
            />
          )}
          <Panel headingLevel={3} title="Cost per month" className="lg:col-span-2" description="Key storage and rotations, and its billed requests before the account-wide free tier of 20,000 requests a month.">
            <div className="space-y-4">
              <TimeChart x={monthSeries.x} series={monthSeries.series} kind="stacked-bars" format={usd} height={180} ariaLabel={`Cost per month of this key: ${data.months.map((m) => `${m.month} ${usd(m.total)}`).join(', ')}`} />
              <div className="overflow-x-auto">
                <Table aria-label="Cost per month">
                  <TableHead>
                    <TableRow>
                      <TableHeaderCell>Month</TableHeaderCell>
                      <TableHeaderCell className="text-right">Billed requests</TableHeaderCell>
                      <TableHeaderCell className="text-right">Requests</TableHeaderCell>
                      <TableHeaderCell className="text-right">Storage &amp; rotation</TableHeaderCell>
                      <TableHeaderCell className="text-right">Total</TableHeaderCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {data.months.map((m) => (
                      <TableRow key={m.month}>
                        <TableCell className="py-1.5 tabular-nums">{m.month}</TableCell>
                        <TableCell className="py-1.5 text-right tabular-nums">{m.requests.toLocaleString('en-US')}</TableCell>
                        <TableCell className="py-1.5 text-right tabular-nums">{usd(m.requestCost)}</TableCell>
                        <TableCell className="py-1.5 text-right tabular-nums">{usd(m.storage)}</TableCell>
                        <TableCell className="py-1.5 text-right font-medium tabular-nums">{usd(m.total)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </div>
          </Panel>
        </div>
      )}
    </div>
  );
}
