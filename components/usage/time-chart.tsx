'use client';
/**
 * A time-series chart drawn by uPlot (canvas, ~29 KB gzip, loaded with the first chart rather than with
 * the page, which keeps /usage's first-load JS under budget): bars stacked by series, or lines, with an optional
 * threshold line. The legend is HTML buttons, so a series can be picked with the keyboard and a screen
 * reader hears each series' total; the canvas itself is labelled with a summary. With `onPickTime`, a
 * click on a time bucket (or the arrow keys and Enter on the focused chart) picks that bucket.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
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
  /** Called with a bucket's start (epoch seconds) when it is clicked, or chosen with the keyboard. */
  onPickTime?: (t: number) => void;
  /** The bucket start currently picked, shaded on the chart. */
  pickedTime?: number;
  /** How a bucket start reads in the keyboard announcement (default: UTC date and time). */
  timeLabel?: (t: number) => string;
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

const utcMinute = (t: number) => `${new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Shades the picked bucket (the width of one bar, centred on its start as uPlot draws bars). */
function shade(u: uPlot, x: number[], t: number | undefined) {
  const i = t === undefined ? -1 : x.indexOf(t);
  if (i < 0) return;
  const at = u.valToPos(x[i], 'x');
  const step = x.length > 1 ? Math.abs(u.valToPos(x[1], 'x') - u.valToPos(x[0], 'x')) : u.bbox.width / devicePixelRatio;
  u.setSelect({ left: at - step / 2, width: step, top: 0, height: u.bbox.height / devicePixelRatio }, false);
}

export function TimeChart({ x, series, kind, threshold, format = (v) => v.toLocaleString('en-US'), onPick, picked, onPickTime, pickedTime, timeLabel = utcMinute, height = 220, ariaLabel }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = useDark();
  const [width, setWidth] = useState(0);
  // The bucket the arrow keys are on (an index into x), announced to screen readers.
  const [active, setActive] = useState<number | null>(null);
  // Read by the canvas' click listener, which lives as long as the chart does.
  const pickTime = useRef(onPickTime);
  useEffect(() => {
    pickTime.current = onPickTime;
  }, [onPickTime]);

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
        // A click picks a bucket; dragging would select a range nobody asked for.
        cursor: { points: { show: false }, drag: { x: false, y: false } },
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
      const made = new UPlot(opts, data, el);
      chart = made;
      plot.current = made;
      // The bucket under the pointer, from the click itself (the cursor may not have caught up with it).
      made.over.addEventListener('click', (e) => {
        if (!pickTime.current || x.length === 0) return;
        const i = made.posToIdx(e.clientX - made.over.getBoundingClientRect().left);
        if (i >= 0 && i < x.length) pickTime.current(x[i]);
      });
      shade(made, x, pickedTime);
    });
    return () => {
      cancelled = true;
      chart?.destroy();
      if (plot.current === chart) plot.current = null;
    };
  }, [data, width, height, dark, kind, series, threshold, format, x, pickedTime]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!onPickTime || x.length === 0) return;
    let i = active;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const step = e.key === 'ArrowRight' ? 1 : -1;
      i = i === null ? (step > 0 ? 0 : x.length - 1) : Math.min(x.length - 1, Math.max(0, i + step));
    } else if (e.key === 'Home') i = 0;
    else if (e.key === 'End') i = x.length - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && i !== null && i < x.length) {
      e.preventDefault();
      onPickTime(x[i]);
      return;
    } else return;
    e.preventDefault();
    setActive(i);
    const u = plot.current;
    if (u) u.setCursor({ left: u.valToPos(x[i], 'x'), top: u.bbox.height / devicePixelRatio / 2 });
  };

  const totals = series.map((s) => s.values.reduce((a, b) => a + b, 0));
  return (
    <div>
      <div
        ref={box}
        role="img"
        aria-label={onPickTime ? `${ariaLabel}. Click a bar, or use the arrow keys and Enter, to list that time's events.` : ariaLabel}
        tabIndex={onPickTime ? 0 : undefined}
        onKeyDown={onPickTime ? onKeyDown : undefined}
        onBlur={() => setActive(null)}
        className={cn('w-full', onPickTime && 'cursor-pointer rounded-sm', onPickTime && focusRing)}
        style={{ height }}
      />
      {onPickTime && (
        <p className="sr-only" aria-live="polite">
          {active !== null && x[active] !== undefined ? `${timeLabel(x[active])}: ${format(series.reduce((sum, s) => sum + (s.values[active] ?? 0), 0))}` : ''}
        </p>
      )}
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
