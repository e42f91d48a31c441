'use client';
/**
 * The usage page's time range: 24 h, 7 d, 30 d, 90 d, or custom dates (UTC, both included) checked
 * inline before they reach the URL — from on or before to, not after today, within the store's window.
 */
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { Input } from '@/components/ui/input';
import { checkCustomRange, dateOf, FIXED_RANGES, type FixedRange, type RangeChoice } from '@/lib/usage/range';

const LABELS: Record<RangeChoice, string> = { '24h': '24 h', '7d': '7 d', '30d': '30 d', '90d': '90 d', custom: 'Custom' };

export interface RangeValue {
  range: RangeChoice;
  from?: string;
  to?: string;
}

export function RangePicker({ value, windowDays, onChange }: { value: RangeValue; windowDays: number; onChange: (next: RangeValue) => void }) {
  // The page's "now" for the checks: taken once, as a page that stays open past midnight still means its day.
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const nowS = () => now;
  const [editing, setEditing] = useState(value.range === 'custom');
  const [from, setFrom] = useState(value.from ?? dateOf(nowS() - 7 * 86_400));
  const [to, setTo] = useState(value.to ?? dateOf(nowS()));
  const [submitted, setSubmitted] = useState(value.range === 'custom');
  // A shared link can carry a bad range: its message shows at once; a typed one once applied.
  const check = checkCustomRange(from, to, nowS(), windowDays);
  const error = submitted && !check.ok ? check : null;
  const showCustom = editing || value.range === 'custom';

  const apply = (event: React.FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (check.ok) onChange({ range: 'custom', from, to });
  };

  return (
    <div className="flex flex-wrap items-start gap-3">
      <div role="radiogroup" aria-label="Time range" className="inline-flex rounded-lg border bg-white p-0.5 dark:bg-zinc-900">
        {([...(Object.keys(FIXED_RANGES) as FixedRange[]), 'custom'] as RangeChoice[]).map((r) => {
          const checked = r === 'custom' ? showCustom : !showCustom && value.range === r;
          return (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={checked}
              onClick={() => {
                if (r === 'custom') return setEditing(true);
                setEditing(false);
                setSubmitted(false);
                onChange({ range: r });
              }}
              className={cn('rounded-md px-3 py-1 text-sm', checked ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800', focusRing)}
            >
              {LABELS[r]}
            </button>
          );
        })}
      </div>
      {showCustom && (
        <form onSubmit={apply} aria-label="Custom range" noValidate className="flex flex-wrap items-start gap-2">
          {(
            [
              ['from', 'From', from, setFrom],
              ['to', 'To', to, setTo],
            ] as const
          ).map(([field, label, text, set]) => (
            <div key={field} className="flex flex-col gap-1">
              <label className="inline-flex items-center gap-1.5 text-sm text-zinc-700 dark:text-zinc-300">
                {label}
                <Input
                  type="date"
                  value={text}
                  max={dateOf(nowS())}
                  onChange={(e) => set(e.target.value)}
                  aria-invalid={error?.field === field || undefined}
                  aria-describedby={error?.field === field ? 'usage-range-error' : undefined}
                  className={cn('h-8', error?.field === field && 'border-red-500 dark:border-red-400')}
                />
              </label>
            </div>
          ))}
          <Button size="sm" type="submit" variant="primary">
            Apply
          </Button>
          <span className="self-center text-xs text-zinc-600 dark:text-zinc-400">UTC dates, both included</span>
          {error && (
            <p id="usage-range-error" role="alert" className="basis-full text-sm text-red-700 dark:text-red-400">
              {error.message}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
