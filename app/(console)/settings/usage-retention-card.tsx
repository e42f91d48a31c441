'use client';
/**
 * Settings → Usage retention: how long the usage store keeps raw events (the drill-down, custom ranges)
 * and roll-ups (the charts). Admins change it; it is applied at once and after every sync.
 */
import { useState } from 'react';
import { useRoleGate } from '@/components/auth/user-context';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { usageQueries } from '@/lib/queries/usage';
import { MAX_RETENTION_DAYS, type Retention } from '@/lib/usage/retention-types';
import { setUsageRetentionAction } from './actions';

const card = 'mx-6 mb-4 max-w-4xl rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900';
const hint = 'text-xs text-zinc-600 dark:text-zinc-400';

export function UsageRetentionCard({ initial }: { initial: Retention }) {
  const gate = useRoleGate('admin');
  const [saved, setSaved] = useState<Retention>(initial);
  const [raw, setRaw] = useState(String(initial.rawDays));
  const [rollup, setRollup] = useState(String(initial.rollupDays));
  const [deleted, setDeleted] = useState<number | null>(null);
  const save = useActionMutation(setUsageRetentionAction, { invalidates: () => [usageQueries.all()], silentError: true, successTitle: () => 'Usage retention saved' });
  const changed = raw.trim() !== String(saved.rawDays) || rollup.trim() !== String(saved.rollupDays);
  const error = save.error;
  // The action names the field it refuses ("rollupDays: must be …"): mark that input.
  const badRaw = error?.message.includes('rawDays') ?? false;
  const badRollup = error?.message.includes('rollupDays') ?? false;
  const number = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

  return (
    <section aria-labelledby="usage-retention" className={card}>
      <h2 id="usage-retention" className="text-sm font-semibold">
        Usage retention
      </h2>
      <p className={`mt-1 ${hint}`}>
        How long Keydeck’s usage store keeps what it synced. Older data is deleted when you save and after every sync. CloudTrail itself keeps 90 days of event history.
      </p>
      <form
        className="mt-3 space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            { rawDays: number(raw), rollupDays: number(rollup) },
            {
              onSuccess: (data) => {
                setSaved({ rawDays: data.rawDays, rollupDays: data.rollupDays });
                setDeleted(data.deletedEvents);
              },
            },
          );
        }}
      >
        <fieldset className="flex flex-wrap gap-6" disabled={!gate.allowed || save.isPending}>
          <legend className="sr-only">Usage retention</legend>
          <label className="flex flex-col gap-1 text-sm">
            Raw events (days)
            <Input
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_RETENTION_DAYS}
              value={raw}
              onChange={(e) => setRaw(e.target.value)}
              aria-invalid={badRaw || undefined}
              aria-describedby={`usage-retention-raw-hint${badRaw ? ' usage-retention-error' : ''}`}
              className="w-32 tabular-nums"
            />
            <span id="usage-retention-raw-hint" className={hint}>
              The events table and custom ranges; default 90.
            </span>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Roll-ups (days)
            <Input
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_RETENTION_DAYS}
              value={rollup}
              onChange={(e) => setRollup(e.target.value)}
              aria-invalid={badRollup || undefined}
              aria-describedby={`usage-retention-rollup-hint${badRollup ? ' usage-retention-error' : ''}`}
              className="w-32 tabular-nums"
            />
            <span id="usage-retention-rollup-hint" className={hint}>
              Hourly and daily counts behind the charts and cost; default 400.
            </span>
          </label>
        </fieldset>
        {error && (
          <p id="usage-retention-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error.name}: {error.message}
          </p>
        )}
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" size="sm" disabled={!gate.allowed || !changed || save.isPending} title={gate.reason} aria-describedby={gate.reason ? 'usage-retention-gate' : undefined}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
          {gate.reason && (
            <span id="usage-retention-gate" className={hint}>
              {gate.reason}
            </span>
          )}
          {!changed && (
            <span className={hint}>
              Now: raw events {saved.rawDays} days, roll-ups {saved.rollupDays} days
              {deleted !== null && ` · ${deleted.toLocaleString('en-US')} older events deleted`}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
