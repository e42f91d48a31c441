/**
 * CloudTrail ingest: syncs the KMS events (`EventSource = kms.amazonaws.com`) of one account-region into
 * the store with LookupEvents — 50 events a page, at most 2 requests a second (a token bucket), throttled
 * calls retried with backoff and jitter, one page in memory at a time.
 *
 * Resumable and incremental. LookupEvents pages newest first, so a run covers a fixed range
 * [run_start, run_end] and moves a cursor (the oldest event time stored so far) down through it; the
 * cursor is committed with each page's events. An interrupted run resumes with EndTime = its cursor (the
 * cursor's second is asked again and de-duplicated by eventID), so nothing is skipped and nothing is
 * counted twice. A completed run records the newest event (time and id); the next run starts a little
 * before it, because CloudTrail delivers some events minutes late.
 */
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { withThrottleRetry } from '@/lib/kms/throttle-retry';
import type { Store } from '@/lib/store';
import { toUsageEvent } from './event';
import { applyRetention, DAY_S, getRetention, insertEvents } from './event-store';
import { TokenBucket } from './token-bucket';

/** AWS's LookupEvents quota: 2 requests per second per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;
export const PAGE_SIZE = 50;
export const DEFAULT_WINDOW_DAYS = 90;
/** How far before the newest stored event an incremental sync starts again (late deliveries). */
export const LATE_DELIVERY_S = 15 * 60;

export interface SyncProgress {
  account: string;
  region: string;
  running: boolean;
  pages: number;
  /** New events stored by this run (duplicates from overlaps are not counted). */
  events: number;
  /** 0–1, by how much of the run's time range has been read. */
  fraction: number;
  /** Estimated seconds left at the rate limit, from the events per second of history read so far. */
  etaSeconds: number | null;
  /** Epoch ms of the last completed sync, or null. */
  lastSyncAt: number | null;
  lastError: string | null;
  /** Newest event stored (epoch s), or null. */
  newestEventTime: number | null;
}

export interface SyncOptions {
  cloudtrail: CloudTrailClient;
  store: Store;
  account: string;
  region: string;
  /** Epoch ms. */
  now?: () => number;
  windowDays?: number;
  bucket?: TokenBucket;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** Stop after this many pages (tests interrupt a run with it); the run resumes on the next call. */
  maxPages?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface SyncResult {
  completed: boolean;
  pages: number;
  events: number;
  throttledRetries: number;
}

function estimate(runStart: number, runEnd: number, cursor: number, events: number, rate: number) {
  const span = Math.max(1, runEnd - runStart);
  const done = Math.min(1, Math.max(0, (runEnd - cursor) / span));
  if (done <= 0) return { fraction: 0, etaSeconds: null };
  // Events still to read, assuming the rest of the range is as busy as the part already read.
  const remainingEvents = (events / Math.max(1, runEnd - cursor)) * Math.max(0, cursor - runStart);
  return { fraction: done, etaSeconds: Math.ceil(Math.ceil(remainingEvents / PAGE_SIZE) / rate) };
}

export async function syncAccountRegion(options: SyncOptions): Promise<SyncResult> {
  const { cloudtrail, store, account, region, signal, onProgress, maxPages = Infinity } = options;
  const now = options.now ?? Date.now;
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const bucket = options.bucket ?? new TokenBucket({ ratePerSecond: LOOKUP_EVENTS_PER_SECOND });
  const db = store.db;
  const nowS = Math.floor(now() / 1000);

  let cp = await db.selectFrom('usage_checkpoints').selectAll().where('account', '=', account).where('region', '=', region).executeTakeFirst();
  if (!cp) {
    await db
      .insertInto('usage_checkpoints')
      .values({ account, region, newest_time: 0, newest_id: '', run_start: 0, run_end: 0, run_cursor_time: 0, run_pages: 0, run_events: 0, last_sync_at: 0, last_error: '', updated_at: nowS })
      .onConflict((oc) => oc.columns(['account', 'region']).doNothing())
      .execute();
    cp = await db.selectFrom('usage_checkpoints').selectAll().where('account', '=', account).where('region', '=', region).executeTakeFirstOrThrow();
  }
  if (cp.run_end === 0) {
    // A new run: from a little before the newest stored event, or the first-sync window, up to now.
    const runStart = cp.newest_time > 0 ? Math.max(cp.newest_time - LATE_DELIVERY_S, nowS - windowDays * DAY_S) : nowS - windowDays * DAY_S;
    await db
      .updateTable('usage_checkpoints')
      .set({ run_start: runStart, run_end: nowS, run_cursor_time: nowS, run_pages: 0, run_events: 0, last_error: '', updated_at: nowS })
      .where('account', '=', account)
      .where('region', '=', region)
      .execute();
    cp = { ...cp, run_start: runStart, run_end: nowS, run_cursor_time: nowS, run_pages: 0, run_events: 0, last_error: '' };
  }
  const { run_start: runStart, run_end: runEnd } = cp;
  let cursor = cp.run_cursor_time;
  let pages = cp.run_pages;
  let events = cp.run_events;
  let pagesThisCall = 0;
  let throttledRetries = 0;
  const lastSyncAt = cp.last_sync_at > 0 ? cp.last_sync_at * 1000 : null;
  const newestBefore = cp.newest_time > 0 ? cp.newest_time : null;
  const report = (running: boolean, lastError: string | null = null) =>
    onProgress?.({
      account,
      region,
      running,
      pages,
      events,
      ...estimate(runStart, runEnd, cursor, events, bucket.ratePerSecond),
      lastSyncAt,
      lastError,
      newestEventTime: newestBefore,
    });
  report(true);

  // The cursor's whole second is asked again (and de-duplicated), so events sharing the oldest stored
  // second are never skipped.
  const query = { StartTime: new Date(runStart * 1000), EndTime: new Date((cursor + 1) * 1000) };
  let nextToken: string | undefined;
  try {
    do {
      if (signal?.aborted) return { completed: false, pages: pagesThisCall, events, throttledRetries };
      if (pagesThisCall >= maxPages) return { completed: false, pages: pagesThisCall, events, throttledRetries };
      const token = nextToken;
      const page = await withThrottleRetry(
        async () => {
          await bucket.take();
          return cloudtrail.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }],
              ...query,
              MaxResults: PAGE_SIZE,
              NextToken: token,
            }),
            { abortSignal: signal },
          );
        },
        { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 20_000, sleep: options.sleep, random: options.random, onRetry: () => throttledRetries++ },
      );
      const usage = (page.Events ?? []).filter((e) => e.EventId && e.EventTime).map((e) => toUsageEvent(e, { account, region }));
      const oldest = usage.reduce((t, e) => Math.min(t, e.time), cursor);
      pages++;
      pagesThisCall++;
      await db.transaction().execute(async (trx) => {
        const fresh = await insertEvents(trx, usage);
        events += fresh.length;
        await trx
          .updateTable('usage_checkpoints')
          .set({ run_cursor_time: oldest, run_pages: pages, run_events: events, updated_at: Math.floor(now() / 1000) })
          .where('account', '=', account)
          .where('region', '=', region)
          .execute();
      });
      cursor = oldest;
      nextToken = page.NextToken;
      report(true);
    } while (nextToken);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await db.updateTable('usage_checkpoints').set({ last_error: message.slice(0, 1000) }).where('account', '=', account).where('region', '=', region).execute();
    report(false, message);
    throw error;
  }

  // The run is complete: record the newest event stored and close the run.
  const newest = await db
    .selectFrom('usage_events')
    .select(['event_id', 'time'])
    .where('account', '=', account)
    .where('region', '=', region)
    .orderBy('time', 'desc')
    .orderBy('event_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const finishedS = Math.floor(now() / 1000);
  await db
    .updateTable('usage_checkpoints')
    .set({
      newest_time: newest ? Math.max(newest.time, cp.newest_time) : cp.newest_time,
      newest_id: newest && newest.time >= cp.newest_time ? newest.event_id : cp.newest_id,
      run_start: 0,
      run_end: 0,
      run_cursor_time: 0,
      last_sync_at: finishedS,
      last_error: '',
      updated_at: finishedS,
    })
    .where('account', '=', account)
    .where('region', '=', region)
    .execute();
  await applyRetention(db, finishedS, await getRetention(db));
  cp = { ...cp, newest_time: newest?.time ?? cp.newest_time };
  cursor = runStart;
  onProgress?.({
    account,
    region,
    running: false,
    pages,
    events,
    fraction: 1,
    etaSeconds: 0,
    lastSyncAt: finishedS * 1000,
    lastError: null,
    newestEventTime: cp.newest_time > 0 ? cp.newest_time : null,
  });
  return { completed: true, pages: pagesThisCall, events, throttledRetries };
}
