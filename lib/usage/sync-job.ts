/**
 * The background CloudTrail sync: once per server process, every account-region of the console on an
 * interval (KEYDECK_USAGE_SYNC_MINUTES, default 10) and on demand. Each account-region has its own
 * LookupEvents token bucket and runs one sync at a time; progress is kept in memory for the UI.
 */
import 'server-only';
import { clientsFor } from '@/lib/aws/clients';
import { consoleContext } from '@/lib/kms/scope';
import { sharedStore } from '@/lib/store/shared';
import { getConfig } from '@/lib/config';
import { syncAccountRegion, type SyncProgress } from './ingest';
import { lookupEventsRate } from './sync-rate';
import { TokenBucket } from './token-bucket';

interface JobState {
  started: boolean;
  timer?: ReturnType<typeof setInterval>;
  running: Map<string, Promise<void>>;
  progress: Map<string, SyncProgress>;
  buckets: Map<string, TokenBucket>;
}

const HOLDER = Symbol.for('keydeck.usage-sync');
type Holder = { [HOLDER]?: JobState };

function state(): JobState {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= { started: false, running: new Map(), progress: new Map(), buckets: new Map() };
  return holder[HOLDER];
}

const id = (account: string, region: string) => `${account}/${region}`;

/** Starts syncing `region` of the console's account unless it is already running; resolves when done. */
export function syncNow(region: string): Promise<void> {
  const s = state();
  const { account } = consoleContext();
  const key = id(account, region);
  const running = s.running.get(key);
  if (running) return running;
  let bucket = s.buckets.get(key);
  if (!bucket) s.buckets.set(key, (bucket = new TokenBucket({ ratePerSecond: lookupEventsRate(getConfig().mode, process.env) })));
  const run = (async () => {
    const store = await sharedStore();
    await syncAccountRegion({
      cloudtrail: clientsFor({ region }).cloudtrail,
      store,
      account,
      region,
      bucket,
      onProgress: (p) => s.progress.set(key, p),
    });
  })()
    .catch((error: unknown) => {
      // The checkpoint keeps the error for the UI; the next run resumes where this one stopped.
      const previous = s.progress.get(key);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      s.progress.set(key, { ...(previous ?? emptyProgress(account, region)), running: false, lastError: message });
    })
    .finally(() => s.running.delete(key));
  s.running.set(key, run);
  return run;
}

function emptyProgress(account: string, region: string): SyncProgress {
  return { account, region, running: false, pages: 0, events: 0, fraction: 0, etaSeconds: null, lastSyncAt: null, lastError: null, newestEventTime: null };
}

/** Starts the interval job once per process (idempotent) and a first sync of every Region. */
export function ensureUsageSync(): void {
  const s = state();
  if (s.started) return;
  s.started = true;
  const minutes = Number(process.env.KEYDECK_USAGE_SYNC_MINUTES ?? 10);
  const every = Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 600_000;
  const all = () => {
    for (const region of consoleContext().regions) void syncNow(region);
  };
  all();
  s.timer = setInterval(all, every);
  s.timer.unref?.();
}

/** Where the sync of each Region stands: live progress when running, else the stored checkpoint. */
export async function syncStatus(): Promise<SyncProgress[]> {
  const s = state();
  const { account, regions } = consoleContext();
  const store = await sharedStore();
  const rows = await store.db.selectFrom('usage_checkpoints').selectAll().where('account', '=', account).execute();
  return regions.map((region) => {
    const live = s.progress.get(id(account, region));
    const row = rows.find((r) => r.region === region);
    if (live && (live.running || s.running.has(id(account, region)))) return { ...live, running: true };
    return {
      ...emptyProgress(account, region),
      ...(live ?? {}),
      running: false,
      lastSyncAt: row && row.last_sync_at > 0 ? row.last_sync_at * 1000 : (live?.lastSyncAt ?? null),
      lastError: row?.last_error || live?.lastError || null,
      newestEventTime: row && row.newest_time > 0 ? row.newest_time : null,
      // An interrupted run shows how far it got.
      fraction: row && row.run_end > 0 ? (row.run_end - row.run_cursor_time) / Math.max(1, row.run_end - row.run_start) : live ? live.fraction : 0,
    };
  });
}
