/**
 * CloudTrail on a thread of its own. Writing an event to the SQLite store (its row, six indexes, the
 * resource rows) costs about as much as the Encrypt it records, and the writes came in batches that
 * held the event loop for tens of milliseconds: the standalone server's p99. The TrailWriter keeps the
 * same TrailStore on a worker thread (trail-worker.ts): `record` only queues, and the queue travels
 * once per event-loop turn; a lookup is a message after those, so it sees every event recorded before it.
 */
import { Worker } from 'node:worker_threads';
import type { TrailEvent } from './cloudtrail';
import type { StoredEvent, Trail, TrailQuery } from './trail-store';

/** The worker's start-up data: the store's directory (none: in memory) and the clock's time. */
export interface TrailThreadData {
  dir: string | undefined;
  now: number;
  /** [0]: events the thread has written so far (it adds and notifies after each batch). */
  written: Int32Array;
}

export type ToTrailThread = { now: number } & (
  | { t: 'record'; events: TrailEvent[] }
  | { t: 'page'; id: number; query: TrailQuery }
  | { t: 'bulk'; on: boolean }
  | { t: 'close' }
);

export type FromTrailThread = { t: 'page'; id: number; events?: StoredEvent[]; error?: string } | { t: 'closed' };

/** Events queued at most before they go at once, without waiting for the end of the turn (the demo history records a million in one). */
const POST_EVENTS = 2_000;
/**
 * A bulk load (the demo history: a million events in one synchronous call) waits whenever this many
 * events are sent but not yet written, so the messages in between stay a few megabytes. Serving
 * requests never waits: the thread writes an event in a tenth of the time a request takes.
 */
const BULK_BACKLOG = 20_000;
/** A thread that writes nothing for this long while a bulk load waits for it has stopped. */
const STALLED_MS = 60_000;

export class TrailWriter implements Trail {
  private readonly worker: Worker;
  private queue: TrailEvent[] = [];
  private scheduled = false;
  private nextId = 0;
  private readonly pages = new Map<number, { resolve: (events: StoredEvent[]) => void; reject: (error: Error) => void }>();
  private closed: Promise<void> | undefined;
  private failure: Error | undefined;
  private readonly written = new Int32Array(new SharedArrayBuffer(4));
  private sent = 0;
  private bulkDepth = 0;

  constructor(
    script: string | URL,
    dir: string | undefined,
    private readonly now: () => number,
  ) {
    this.worker = new Worker(script, { workerData: { dir, now: now(), written: this.written } satisfies TrailThreadData });
    // Like the store's own flush timer, the thread does not keep the process alive; `close` waits for it.
    this.worker.unref();
    this.worker.on('message', (message: FromTrailThread) => {
      if (message.t !== 'page') return;
      const page = this.pages.get(message.id);
      this.pages.delete(message.id);
      if (message.error !== undefined) page?.reject(new Error(`CloudTrail store: ${message.error}`));
      else page?.resolve(message.events ?? []);
    });
    const lost = (why: unknown) => {
      if (this.failure) return;
      this.failure = new Error(`the CloudTrail writer thread stopped (${why instanceof Error ? why.message : String(why)})`);
      console.error(`kms emulator: ${this.failure.message}; CloudTrail records no more events`);
      for (const page of this.pages.values()) page.reject(this.failure);
      this.pages.clear();
    };
    this.worker.on('error', lost);
    this.worker.on('exit', (code) => {
      if (!this.closed) lost(`exit code ${code}`);
    });
  }

  record(events: TrailEvent[]): void {
    for (const e of events) this.queue.push(e);
    if (this.queue.length >= POST_EVENTS) this.post();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.post());
    }
  }

  page(query: TrailQuery): Promise<StoredEvent[]> {
    if (this.failure) return Promise.reject(this.failure);
    this.post();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pages.set(id, { resolve, reject });
      this.send({ t: 'page', id, query, now: this.now() });
    });
  }

  /** Runs `fn` with the store's indexes dropped while its events are written, built again after (TrailStore.bulk). */
  bulk<T>(fn: () => T): T {
    this.post();
    this.send({ t: 'bulk', on: true, now: this.now() });
    this.bulkDepth++;
    try {
      return fn();
    } finally {
      this.bulkDepth--;
      this.post();
      this.send({ t: 'bulk', on: false, now: this.now() });
    }
  }

  /** Writes what is queued, closes the store and ends the thread. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.post();
      this.worker.ref();
      if (!this.failure) {
        const done = new Promise<void>((resolve) => {
          const onMessage = (message: FromTrailThread) => message.t === 'closed' && resolve();
          this.worker.on('message', onMessage);
          this.worker.once('exit', () => resolve());
        });
        this.send({ t: 'close', now: this.now() });
        await done;
      }
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private post(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    this.send({ t: 'record', events, now: this.now() });
    this.sent = (this.sent + events.length) | 0; // wraps as the thread's Int32 count does
    if (this.bulkDepth > 0) this.waitForBacklog();
  }

  /** Blocks (Atomics.wait: a bulk load is one synchronous call) until the thread is at most BULK_BACKLOG events behind. */
  private waitForBacklog(): void {
    let seen = Atomics.load(this.written, 0);
    let since = Date.now();
    while (!this.failure && ((this.sent - seen) | 0) > BULK_BACKLOG) {
      Atomics.wait(this.written, 0, seen, 1_000);
      const now = Atomics.load(this.written, 0);
      if (now !== seen) since = Date.now();
      else if (Date.now() - since > STALLED_MS) throw new Error('the CloudTrail writer thread stopped writing during a bulk load');
      seen = now;
    }
  }

  private send(message: ToTrailThread): void {
    if (!this.failure) this.worker.postMessage(message);
  }
}
