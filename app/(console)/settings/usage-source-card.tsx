'use client';
/**
 * Settings → Usage data source: the embedded store (synced from CloudTrail with LookupEvents) or a
 * CloudTrail Lake event data store queried with Lake SQL. Admins change it; in demo mode Lake is shown
 * disabled with the reason.
 */
import { useState } from 'react';
import { useRoleGate } from '@/components/auth/user-context';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { usageQueries } from '@/lib/queries/usage';
import { DEMO_LAKE_REASON, type UsageSource } from '@/lib/usage/source-types';
import { setUsageSourceAction } from './actions';

const card = 'mx-6 mb-4 max-w-4xl rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900';
const hint = 'text-xs text-zinc-600 dark:text-zinc-400';

/** `sync`: the sync's real settings (KEYDECK_USAGE_SYNC, the LookupEvents rate, KEYDECK_USAGE_FIRST_SYNC_DAYS). */
export function UsageSourceCard({ initial, demo, sync }: { initial: UsageSource; demo: boolean; sync: { enabled: boolean; ratePerSecond: number; firstSyncDays: number } }) {
  const gate = useRoleGate('admin');
  const [saved, setSaved] = useState<UsageSource>(initial);
  const [kind, setKind] = useState<UsageSource['kind']>(initial.kind);
  const [eds, setEds] = useState(initial.kind === 'lake' ? initial.eventDataStore : '');
  const save = useActionMutation(setUsageSourceAction, { invalidates: () => [usageQueries.all()], silentError: true, successTitle: () => 'Usage data source saved' });
  const changed = kind !== saved.kind || (kind === 'lake' && eds.trim() !== (saved.kind === 'lake' ? saved.eventDataStore : ''));
  const error = save.error;

  return (
    <section aria-labelledby="usage-source" className={card}>
      <h2 id="usage-source" className="text-sm font-semibold">
        Usage data source
      </h2>
      <p className={`mt-1 ${hint}`}>Where the charts and cost inputs of Usage &amp; cost come from.</p>
      <form
        className="mt-3 space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(kind === 'lake' ? { kind, eventDataStore: eds } : { kind }, { onSuccess: (data) => setSaved(data) });
        }}
      >
        <fieldset className="space-y-3" disabled={!gate.allowed || save.isPending}>
          <legend className="sr-only">Usage data source</legend>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="usage-source" value="store" checked={kind === 'store'} onChange={() => setKind('store')} className="mt-1 size-4 accent-zinc-900 dark:accent-zinc-100" />
            <span>
              Embedded store (sync via LookupEvents)
              <span className={`block ${hint}`}>
                {sync.enabled
                  ? `KMS events synced from CloudTrail event history (first sync: the last ${sync.firstSyncDays} days; ${sync.ratePerSecond} requests/s per account and Region) into Keydeck’s own store, with roll-ups.`
                  : 'The CloudTrail sync is off (KEYDECK_USAGE_SYNC=off): the charts show what the store already holds.'}
              </span>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="usage-source" value="lake" checked={kind === 'lake'} disabled={demo} onChange={() => setKind('lake')} aria-describedby="usage-source-lake-note" className="mt-1 size-4 accent-zinc-900 dark:accent-zinc-100" />
            <span className={demo ? 'text-zinc-500 dark:text-zinc-400' : undefined}>
              CloudTrail Lake event data store
              <span id="usage-source-lake-note" className={`block ${hint}`}>
                {demo ? DEMO_LAKE_REASON : 'Lake SQL over an existing event data store; each page view runs twelve queries (eight for the charts, four for the cost), billed per GB scanned (AWS CloudTrail pricing).'}
              </span>
            </span>
          </label>
          {kind === 'lake' && !demo && (
            <label className="ml-6 flex flex-col gap-1 text-sm">
              Event data store ARN or ID
              <Input
                value={eds}
                onChange={(e) => setEds(e.target.value)}
                placeholder="arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/…"
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'usage-source-error' : undefined}
                className="max-w-xl font-mono"
              />
            </label>
          )}
        </fieldset>
        {error && (
          <p id="usage-source-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error.name}: {error.message}
          </p>
        )}
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" size="sm" disabled={!gate.allowed || !changed || save.isPending} title={gate.reason} aria-describedby={gate.reason ? 'usage-source-gate' : undefined}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
          {gate.reason && (
            <span id="usage-source-gate" className={hint}>
              {gate.reason}
            </span>
          )}
          {!changed && <span className={hint}>Now: {saved.kind === 'lake' ? `CloudTrail Lake (${saved.eventDataStore})` : 'embedded store'}</span>}
        </div>
      </form>
    </section>
  );
}
