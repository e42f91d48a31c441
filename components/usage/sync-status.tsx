/**
 * The CloudTrail sync: a progress bar while the shown account-region syncs, the last sync of every
 * account-region after, the real LookupEvents rate, and "Sync now" — or that the sync is off.
 */
import { RefreshCw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/format/date';
import type { SyncProgress } from '@/lib/usage/ingest';
import type { SyncOverview } from '@/lib/usage/sync-types';

function eta(seconds: number | null): string {
  if (seconds === null) return 'estimating time left';
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`;
  return `about ${Math.ceil(seconds / 60)} min left`;
}

const rateText = (rate: number) => `${rate.toLocaleString('en-US')} request${rate === 1 ? '' : 's'}/s`;

function lastSync(p: SyncProgress): string {
  if (p.running) return `syncing, ${Math.round(p.fraction * 100)}%`;
  return p.lastSyncAt ? formatDateTime(p.lastSyncAt) : 'not synced yet';
}

/** The progress of `region` in `account` (the first account when none is named: the console's default). */
export function progressOf(overview: SyncOverview | undefined, region: string, account?: string): SyncProgress | undefined {
  return overview?.regions.find((r) => r.region === region && (account === undefined || r.account === account));
}

export function SyncStatus({
  overview,
  region,
  account,
  onSyncNow,
  starting,
}: {
  overview: SyncOverview | undefined;
  region: string;
  account?: string;
  onSyncNow: () => void;
  starting: boolean;
}) {
  const progress = progressOf(overview, region, account);
  const running = progress?.running ?? false;
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  const off = overview?.enabled === false;
  const all = overview?.regions ?? [];
  const accounts = new Set(all.map((r) => r.account));
  return (
    <section aria-label="CloudTrail sync" className="rounded-xl border bg-white px-4 py-3 text-sm dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1">
          {off ? (
            <p className="text-zinc-600 dark:text-zinc-400">
              <span className="font-medium text-zinc-900 dark:text-zinc-100">CloudTrail sync is off</span>
              <span className="ml-2">(KEYDECK_USAGE_SYNC=off): the charts show what the store already holds.</span>
            </p>
          ) : running ? (
            <>
              <div className="flex flex-wrap justify-between gap-2">
                <span className="font-medium">Syncing CloudTrail events…</span>
                <span className="text-zinc-600 tabular-nums dark:text-zinc-400">
                  {progress!.pages.toLocaleString('en-US')} pages · {progress!.events.toLocaleString('en-US')} events · {eta(progress!.etaSeconds)}
                </span>
              </div>
              <div role="progressbar" aria-label="CloudTrail sync progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="mt-1.5 h-2 rounded-full bg-zinc-100 dark:bg-zinc-800">
                <div className="h-2 rounded-full bg-blue-600 transition-[width] dark:bg-blue-500" style={{ width: `${Math.max(2, percent)}%` }} />
              </div>
            </>
          ) : (
            <p className="text-zinc-600 dark:text-zinc-400">
              {progress?.lastSyncAt ? <>Last synced {formatDateTime(progress.lastSyncAt)}</> : 'Not synced yet'}
              {progress?.lastError && <span className="ml-2 text-red-700 dark:text-red-400">Last sync failed: {progress.lastError}</span>}
              {overview && <span className="ml-2 text-xs">LookupEvents, {rateText(overview.ratePerSecond)} per account and Region, 50 events a page</span>}
            </p>
          )}
        </div>
        <Button size="sm" onClick={onSyncNow} disabled={off || running || starting}>
          <RefreshCw aria-hidden="true" className={running ? 'animate-spin' : undefined} />
          Sync now
        </Button>
      </div>
      {all.length > 1 && (
        <details className="mt-2">
          <summary className="cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">Last sync of every account and Region ({all.length})</summary>
          <table className="mt-1 text-xs">
            <caption className="sr-only">Last CloudTrail sync per account and Region</caption>
            <thead>
              <tr className="text-left text-zinc-600 dark:text-zinc-400">
                {accounts.size > 1 && <th scope="col" className="pr-4 font-medium">Account</th>}
                <th scope="col" className="pr-4 font-medium">Region</th>
                <th scope="col" className="pr-4 font-medium">Last sync</th>
                <th scope="col" className="font-medium">Problem</th>
              </tr>
            </thead>
            <tbody>
              {all.map((p) => (
                <tr key={`${p.account}/${p.region}`}>
                  {accounts.size > 1 && <td className="pr-4">{p.account}</td>}
                  <td className="pr-4">{p.region}</td>
                  <td className="pr-4 tabular-nums">{lastSync(p)}</td>
                  <td className="text-red-700 dark:text-red-400">{p.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
