'use client';
/**
 * The usage report's time charts as panels — calls by operation, errors, the busiest second against the
 * quota, cost per day — shared by /usage and the key detail's Usage tab (the same report with a key filter).
 */
import { useMemo } from 'react';
import { cn } from '@/components/ui/cn';
import type { SeriesPoint } from '@/lib/usage/aggregate';
import type { UsageReport } from '@/lib/usage/report-types';
import { usd } from './cost-cards';
import { TimeChart, type ChartSeries } from './time-chart';

const DAY_S = 86_400;

export function Panel({ title, description, children, className, actions, headingLevel = 2 }: { title: string; description?: string; children: React.ReactNode; className?: string; actions?: React.ReactNode; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-label={title} className={cn('rounded-xl border bg-white p-4 dark:bg-zinc-900', className)}>
      <div className="mb-3 flex items-start justify-between gap-2">
        <div>
          <Heading className="text-sm font-semibold">{title}</Heading>
          {description && <p className="text-xs text-zinc-600 dark:text-zinc-400">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Buckets from..to and one series per name, zero-filled, the biggest first. */
export function toSeries(points: SeriesPoint[], from: number, to: number, bucket: number, label?: (name: string) => string) {
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

/** A time bucket as people read it: a UTC day, or an hour of one. */
export function bucketLabel(t: number, span: number): string {
  const iso = new Date(t * 1000).toISOString();
  if (span >= DAY_S) return iso.slice(0, 10);
  const end = new Date((t + span) * 1000).toISOString().slice(11, 16);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}–${end} UTC`;
}

/** A time bucket picked on a chart (its start and length, seconds), and how to pick one. */
export interface TimePick {
  picked?: { at: number; span: number };
  onPick: (at: number, span: number) => void;
}

/** The report's series, bucketed for the charts. */
export function useReportSeries(data: UsageReport | undefined) {
  return useMemo(() => {
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
    const threshold = { value: data.symmetricQuota, label: `Quota ${data.symmetricQuota.toLocaleString('en-US')}/s (${data.query.region})` };
    return { calls, errors, sym, costX, cost, threshold };
  }, [data]);
}

export type ReportSeries = NonNullable<ReturnType<typeof useReportSeries>>;

/** The picked bucket on a chart whose buckets are `span` long (none when the pick was made on another grain). */
const pickedOn = (time: TimePick | undefined, span: number) => (time?.picked && time.picked.span === span ? time.picked.at : undefined);

interface ChartPanelProps {
  report: UsageReport;
  series: ReportSeries;
  time?: TimePick;
  /** Overrides the panel's description (the key tab says what its filter is). */
  description?: string;
  headingLevel?: 2 | 3;
  className?: string;
}

export function CallsOverTimePanel({ report, series, time, description, headingLevel, picked, onPick }: ChartPanelProps & { picked?: string; onPick?: (op: string) => void }) {
  return (
    <Panel headingLevel={headingLevel} title="Calls over time" description={description ?? 'Stacked by operation. Pick an operation, or click a bar to list its events.'}>
      <TimeChart
        x={series.calls.x}
        series={series.calls.series}
        kind="stacked-bars"
        ariaLabel={`Calls over time by operation: ${report.totals.calls} calls`}
        picked={picked}
        onPick={onPick}
        pickedTime={pickedOn(time, report.bucket)}
        onPickTime={time && ((t) => time.onPick(t, report.bucket))}
        timeLabel={(t) => bucketLabel(t, report.bucket)}
      />
    </Panel>
  );
}

export function ErrorsOverTimePanel({ report, series, time, description, headingLevel, picked, onPick }: ChartPanelProps & { picked?: string; onPick?: (code: string) => void }) {
  return (
    <Panel headingLevel={headingLevel} title="Errors over time" description={description ?? 'Refused calls by error code. Pick one to filter.'}>
      <TimeChart
        x={series.errors.x}
        series={series.errors.series}
        kind="stacked-bars"
        ariaLabel={`Refused calls over time: ${report.totals.errors}`}
        picked={picked}
        onPick={onPick}
        pickedTime={pickedOn(time, report.bucket)}
        onPickTime={time && ((t) => time.onPick(t, report.bucket))}
        timeLabel={(t) => bucketLabel(t, report.bucket)}
      />
    </Panel>
  );
}

export function PeakPanel({ report, series, time, description, headingLevel, className }: ChartPanelProps) {
  return (
    <Panel
      className={className}
      headingLevel={headingLevel}
      title="Peak requests per second"
      description={description ?? `Busiest second per ${report.bucket === 3600 ? 'hour' : 'day'}, symmetric cryptographic operations (whole Region), against the default shared quota.`}
    >
      <TimeChart
        x={series.sym.x}
        series={series.sym.series}
        kind="lines"
        threshold={series.threshold}
        ariaLabel={`Peak symmetric requests per second against the quota of ${report.symmetricQuota} per second`}
        pickedTime={pickedOn(time, report.bucket)}
        onPickTime={time && ((t) => time.onPick(t, report.bucket))}
        timeLabel={(t) => bucketLabel(t, report.bucket)}
      />
    </Panel>
  );
}

export function CostOverTimePanel({ report, series, time }: ChartPanelProps) {
  return (
    <Panel title="Cost over time" description={`Per day, all Regions (${report.cost?.regions.join(', ') ?? ''}): key storage and rotations vs requests.`}>
      {report.cost ? (
        <TimeChart
          x={series.costX}
          series={series.cost}
          kind="stacked-bars"
          format={usd}
          ariaLabel={`Cost per day: storage and requests; month to date ${usd(report.cost.monthToDate)}`}
          pickedTime={pickedOn(time, DAY_S)}
          onPickTime={time && ((t) => time.onPick(t, DAY_S))}
          timeLabel={(t) => bucketLabel(t, DAY_S)}
        />
      ) : (
        <p className="text-sm text-red-700 dark:text-red-400">{report.costError}</p>
      )}
    </Panel>
  );
}
