/** The CloudTrail sync of the shown Region: a progress bar while it runs, the last sync time after, and "Sync now". */
import { RefreshCw } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/format/date';
import type { SyncProgress } from '@/lib/usage/ingest';

function eta(seconds: number | null): string {
  if (seconds === null) return 'estimating time left';
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`;
  return `about ${Math.ceil(seconds / 60)} min left`;
}

export function SyncStatus({ progress, onSyncNow, starting }: { progress: SyncProgress | undefined; onSyncNow: () => void; starting: boolean }) {
  const running = progress?.running ?? false;
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  return (
    <section aria-label="CloudTrail sync" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl border bg-white px-4 py-3 text-sm dark:bg-zinc-900">
      <div className="min-w-0 flex-1">
        {running ? (
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
            <span className="ml-2 text-xs">LookupEvents, 2 requests/s, 50 events a page</span>
          </p>
        )}
      </div>
      <Button size="sm" onClick={onSyncNow} disabled={running || starting}>
        <RefreshCw aria-hidden="true" className={running ? 'animate-spin' : undefined} />
        Sync now
      </Button>
    </section>
  );
}
