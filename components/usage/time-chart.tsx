'use client';
/**
 * A time-series chart drawn by uPlot (canvas, ~29 KB gzip, loaded with the first chart rather than with
 * the page, which keeps /usage's first-load JS under budget): bars stacked by series, or lines, with an optional
 * threshold line. The legend is HTML buttons, so a series can be picked with the keyboard and a screen
 * reader hears each series' total; the canvas itself is labelled with a summary.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';

export interface ChartSeries {
  name: string;
  /** Shown in the legend instead of the name. */
  label?: string;
  values: number[];
}

export interface TimeChartProps {
  /** Bucket starts, epoch seconds. */
  x: number[];
  series: ChartSeries[];
  kind: 'stacked-bars' | 'lines';
  threshold?: { value: number; label: string };
  format?: (v: number) => string;
  onPick?: (series: string) => void;
  /** The series currently filtered on, highlighted in the legend. */
  picked?: string;
  height?: number;
  ariaLabel: string;
}

export const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d', '#9333ea', '#ea580c', '#0d9488', '#4f46e5'];

function useDark(): boolean {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const root = document.documentElement;
    const read = () => setDark(root.classList.contains('dark'));
    read();
    const observer = new MutationObserver(read);
    observer.observe(root, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return dark;
}

export function TimeChart({ x, series, kind, threshold, format = (v) => v.toLocaleString('en-US'), onPick, picked, height = 220, ariaLabel }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const dark = useDark();
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Stacked bars are drawn as cumulative sums, the tallest first, so each band shows its own part.
  const data = useMemo(() => {
    const cols: number[][] = [];
    if (kind === 'stacked-bars') {
      const acc = new Array<number>(x.length).fill(0);
      for (const s of series) {
        for (let i = 0; i < x.length; i++) acc[i] += s.values[i] ?? 0;
        cols.push([...acc]);
      }
      cols.reverse();
    } else {
      for (const s of series) cols.push(s.values);
    }
    if (threshold) cols.push(new Array<number>(x.length).fill(threshold.value));
    return [x, ...cols] as uPlot.AlignedData;
  }, [x, series, kind, threshold]);

  useEffect(() => {
    const el = box.current;
    if (!el || width === 0) return;
    const axisColor = dark ? '#a1a1aa' : '#52525b';
    const gridColor = dark ? '#27272a' : '#e4e4e7';
    const ordered = kind === 'stacked-bars' ? [...series].reverse() : series;
    const colorOf = (name: string) => PALETTE[series.findIndex((s) => s.name === name) % PALETTE.length];
    let chart: uPlot | undefined;
    let cancelled = false;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const bars = UPlot.paths.bars!({ size: [0.8, 40], gap: 1 });
      const opts: uPlot.Options = {
        width,
        height,
        legend: { show: false },
        // The console prints times in UTC everywhere; so do the axes.
        tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        cursor: { points: { show: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1, threshold ? threshold.value * 1.1 : 0)] } },
        axes: [
          { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
          { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, size: 72, values: (_u, vals) => vals.map((v) => format(v)) },
        ],
        series: [
          { label: 'time' },
          ...ordered.map((s) => ({
            label: s.label ?? s.name,
            stroke: colorOf(s.name),
            fill: kind === 'stacked-bars' ? colorOf(s.name) : undefined,
            width: kind === 'lines' ? 2 : 0,
            paths: kind === 'stacked-bars' ? bars : undefined,
            points: { show: false },
          })),
          ...(threshold ? [{ label: threshold.label, stroke: '#dc2626', dash: [6, 4], width: 1.5, points: { show: false } }] : []),
        ],
      };
      chart = new UPlot(opts, data, el);
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [data, width, height, dark, kind, series, threshold, format]);

  const totals = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  return (
    <div>
      <div ref={box} role="img" aria-label={ariaLabel} className="w-full" style={{ height }} />
      <ul className="mt-2 flex flex-wrap gap-1.5" aria-label="Series">
        {series.map((s, i) => {
          const content = (
            <>
              <span aria-hidden="true" className="size-2.5 rounded-sm" style={{ background: PALETTE[i % PALETTE.length] }} />
              <span className="max-w-56 truncate">{s.label ?? s.name}</span>
              <span className="text-zinc-500 tabular-nums dark:text-zinc-400">{format(totals[i])}</span>
            </>
          );
          const cls = cn('inline-flex items-center gap-1.5 rounded-md border px-2 py-0.5 text-xs', picked === s.name ? 'border-zinc-900 bg-zinc-100 dark:border-zinc-100 dark:bg-zinc-800' : 'border-zinc-200 dark:border-zinc-700');
          return (
            <li key={s.name}>
              {onPick ? (
                <button type="button" className={cn(cls, 'hover:bg-zinc-100 dark:hover:bg-zinc-800', focusRing)} aria-pressed={picked === s.name} onClick={() => onPick(s.name)}>
                  {content}
                </button>
              ) : (
                <span className={cls}>{content}</span>
              )}
            </li>
          );
        })}
        {threshold && (
          <li className="inline-flex items-center gap-1.5 px-2 py-0.5 text-xs text-red-700 dark:text-red-400">
            <span aria-hidden="true" className="h-0 w-4 border-t-2 border-dashed border-red-600" />
            {threshold.label}
          </li>
        )}
      </ul>
    </div>
  );
}
