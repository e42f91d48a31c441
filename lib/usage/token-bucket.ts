/** A token bucket: at most `ratePerSecond` takes a second on average, with bursts up to `capacity`. */

export interface TokenBucketOptions {
  ratePerSecond: number;
  capacity?: number;
  /** Injected so tests control time. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TokenBucket {
  readonly ratePerSecond: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private at: number;
  /** Takes queue up in order, so concurrent callers share the rate fairly. */
  private queue: Promise<void> = Promise.resolve();

  constructor({ ratePerSecond, capacity = ratePerSecond, now = Date.now, sleep = defaultSleep }: TokenBucketOptions) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, not ${ratePerSecond}`);
    this.ratePerSecond = ratePerSecond;
    this.capacity = Math.max(1, capacity);
    this.now = now;
    this.sleep = sleep;
    this.tokens = this.capacity;
    this.at = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.at) / 1000) * this.ratePerSecond);
    this.at = t;
  }

  /** Resolves when a token has been taken. */
  take(): Promise<void> {
    const next = this.queue.then(async () => {
      this.refill();
      while (this.tokens < 1) {
        await this.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
        this.refill();
      }
      this.tokens -= 1;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
