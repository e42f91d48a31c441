/** Retries a KMS call that was throttled, with capped exponential backoff and full jitter (AWS's recommended scheme). */

/** Names AWS uses for "slow down"; KMS answers ThrottlingException, the others come from shared infrastructure. */
const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling', 'ThrottledException', 'SlowDown']);

export interface RetryOptions {
  /** Total tries, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told about each retry, for counting. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const throttling = (error as { $retryable?: { throttling?: boolean } }).$retryable?.throttling;
  return THROTTLING.has(error.name) || throttling === true;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withThrottleRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxAttempts = 8, baseDelayMs = 100, maxDelayMs = 5_000, sleep = defaultSleep, random = Math.random, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= maxAttempts || !isThrottling(error)) throw error;
      // Full jitter spreads the retries of many parallel calls instead of having them collide again.
      const delayMs = Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
