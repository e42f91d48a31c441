/**
 * The background CloudTrail sync: once per server process, every account × Region of the console on an
 * interval (KEYDECK_USAGE_SYNC_MINUTES, default 10) and on demand. Each account-region has its own
 * checkpoint, its own LookupEvents token bucket and runs one sync at a time; progress is kept in memory
 * for the UI. KEYDECK_USAGE_SYNC=off turns all of it off.
 */
import 'server-only';
import { clientsFor } from '@/lib/aws/clients';
import { consoleContext } from '@/lib/kms/scope';
import { sharedStore } from '@/lib/store/shared';
import { getConfig } from '@/lib/config';
import { syncAccountRegion, type SyncProgress } from './ingest';
import { lookupEventsRate } from './sync-rate';
import type { SyncOverview } from './sync-types';
import { firstSyncDays, usageSyncEnabled } from './sync-window';
import { TokenBucket } from './token-bucket';

interface JobState {
  started: boolean;
  timer?: ReturnType<typeof setInterval>;
  running: Map<string, Promise<void>>;
  /** Account-regions asked to sync again while a run was going: that run's window ended before the ask. */
  again: Set<string>;
  progress: Map<string, SyncProgress>;
  buckets: Map<string, TokenBucket>;
}

const HOLDER = Symbol.for('keydeck.usage-sync');
type Holder = { [HOLDER]?: JobState };

function state(): JobState {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= { started: false, running: new Map(), again: new Set(), progress: new Map(), buckets: new Map() };
  return holder[HOLDER];
}

const id = (account: string, region: string) => `${account}/${region}`;

export interface SyncTarget {
  /** The account's name in the console (`Scope.account`), which the store files its events under. */
  account: string;
  region: string;
}

/** Every account-region the sync covers: each configured account × each Region. */
export function syncTargets(): SyncTarget[] {
  const { accounts, regions } = consoleContext();
  return accounts.flatMap((a) => regions.map((region) => ({ account: a.name, region })));
}

/** The LookupEvents bucket of one account-region (AWS's quota is per account and Region). */
export function bucketOf(account: string, region: string): TokenBucket {
  const s = state();
  const key = id(account, region);
  let bucket = s.buckets.get(key);
  if (!bucket) s.buckets.set(key, (bucket = new TokenBucket({ ratePerSecond: lookupEventsRate(getConfig().mode, process.env) })));
  return bucket;
}

/** Thrown by syncNow when KEYDECK_USAGE_SYNC=off. */
export class UsageSyncOffError extends Error {
  override name = 'UsageSyncOffException';
  constructor() {
    super('The CloudTrail sync is off (KEYDECK_USAGE_SYNC=off).');
  }
}

/**
 * Syncs `region` of `account` (default: the console's default account); resolves when done. Rejects with
 * UsageSyncOffError when the sync is off.
 *
 * A run reads CloudTrail up to the moment it started, so an ask made while one runs (`followUp`, as "Sync
 * now" does) gets one more run after it: the answer then covers every call made before the ask. The
 * interval job only joins a running sync. Back-to-back runs keep the account-region "running" throughout.
 */
export function syncNow(region: string, account: string = consoleContext().account, { followUp = true }: { followUp?: boolean } = {}): Promise<void> {
  if (!usageSyncEnabled(process.env)) return Promise.reject(new UsageSyncOffError());
  const s = state();
  const key = id(account, region);
  const running = s.running.get(key);
  if (running) {
    if (followUp) s.again.add(key);
    return running;
  }
  const bucket = bucketOf(account, region);
  const once = async () => {
    const store = await sharedStore();
    await syncAccountRegion({
      cloudtrail: clientsFor({ region, account }).cloudtrail,
      store,
      account,
      region,
      bucket,
      windowDays: firstSyncDays(process.env),
      onProgress: (p) => s.progress.set(key, p),
    });
  };
  const run = (async () => {
    do {
      s.again.delete(key);
      await once().catch((error: unknown) => {
        // The checkpoint keeps the error for the UI; the next run resumes where this one stopped.
        const previous = s.progress.get(key);
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        s.progress.set(key, { ...(previous ?? emptyProgress(account, region)), running: false, lastError: message });
      });
    } while (s.again.has(key));
  })().finally(() => s.running.delete(key));
  s.running.set(key, run);
  return run;
}

/** Syncs every account-region at once (each within its own rate); resolves when all are done. */
export async function syncAll(): Promise<void> {
  if (!usageSyncEnabled(process.env)) return;
  await Promise.all(syncTargets().map((t) => syncNow(t.region, t.account, { followUp: false })));
}

function emptyProgress(account: string, region: string): SyncProgress {
  return { account, region, running: false, pages: 0, events: 0, fraction: 0, etaSeconds: null, lastSyncAt: null, lastError: null, newestEventTime: null };
}

/** Starts the interval job once per process (idempotent) and a first sync of every account-region; nothing when the sync is off. */
export function ensureUsageSync(): void {
  if (!usageSyncEnabled(process.env)) return;
  const s = state();
  if (s.started) return;
  s.started = true;
  const minutes = Number(process.env.KEYDECK_USAGE_SYNC_MINUTES ?? 10);
  const every = Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 600_000;
  const all = () => void syncAll();
  all();
  s.timer = setInterval(all, every);
  s.timer.unref?.();
}

/** Whether the background job has been started in this process (tests check that "off" keeps it stopped). */
export function usageSyncStarted(): boolean {
  return state().started;
}

/** Where the sync of each account-region stands: live progress when running, else the stored checkpoint. */
export async function syncStatus(): Promise<SyncProgress[]> {
  const s = state();
  const targets = syncTargets();
  const store = await sharedStore();
  const rows = await store.db.selectFrom('usage_checkpoints').selectAll().execute();
  return targets.map(({ account, region }) => {
    const live = s.progress.get(id(account, region));
    const row = rows.find((r) => r.account === account && r.region === region);
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

/** What GET /api/usage/sync answers: whether the sync is on, its rate per account-region, and each one's state. */
export async function syncOverview(): Promise<SyncOverview> {
  return { enabled: usageSyncEnabled(process.env), ratePerSecond: lookupEventsRate(getConfig().mode, process.env), regions: await syncStatus() };
}
