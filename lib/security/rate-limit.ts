/**
 * A small keyed token-bucket limiter for expensive requests and sign-in attempts.
 *
 * In-process: each console instance keeps its own buckets, so N instances behind a load balancer
 * allow up to N times a rule's rate in total. That is the intent for what it guards here (this
 * server's CPU, and an AWS account's API quota, which KMS itself also throttles); a shared limit
 * across instances would need the PostgreSQL store.
 *
 * Usage: `const verdict = rateLimit(`sign-in:${username}`, SIGN_IN_RULE); if (!verdict.ok) return throttledResponse(verdict);`
 */

/** A bucket holds up to `burst` tokens and gains `perSecond` tokens a second; each request takes one. */
export interface RateLimitRule {
  burst: number;
  perSecond: number;
}

export type RateLimitVerdict = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** Milliseconds (of the limiter's clock) when `tokens` was last brought up to date. */
  at: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `maxKeys` bounds memory when keys come from clients (user names, addresses): the stalest bucket goes first. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, rule: RateLimitRule, cost = 1): RateLimitVerdict {
    if (!(rule.burst >= 1) || !(rule.perSecond > 0)) throw new RangeError('A rate-limit rule needs burst ≥ 1 and perSecond > 0');
    const now = this.now();
    const previous = this.buckets.get(key);
    const tokens = previous ? Math.min(rule.burst, previous.tokens + ((now - previous.at) / 1000) * rule.perSecond) : rule.burst;
    // Re-inserted on every take, so the Map's order is least recently used first.
    this.buckets.delete(key);
    if (tokens >= cost) {
      this.buckets.set(key, { tokens: tokens - cost, at: now });
      this.evict();
      return { ok: true, remaining: Math.floor(tokens - cost) };
    }
    this.buckets.set(key, { tokens, at: now });
    this.evict();
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / rule.perSecond)) };
  }

  /** Forgets a key, e.g. after a successful sign-in. */
  reset(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(): void {
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) return;
      this.buckets.delete(oldest);
    }
  }
}

// One limiter per process, kept on globalThis so that Next's module copies (route handlers, actions,
// dev reloads) share the same buckets.
const GLOBAL_KEY = Symbol.for('keydeck.rateLimiter');
const globalStore = globalThis as typeof globalThis & { [GLOBAL_KEY]?: TokenBucketLimiter };

export function sharedLimiter(): TokenBucketLimiter {
  globalStore[GLOBAL_KEY] ??= new TokenBucketLimiter();
  return globalStore[GLOBAL_KEY];
}

/** Takes one token from `key`'s bucket in the process's shared limiter. */
export function rateLimit(key: string, rule: RateLimitRule): RateLimitVerdict {
  return sharedLimiter().take(key, rule);
}

/** Forgets `key` in the shared limiter (e.g. a user's sign-in failures once they sign in). */
export function resetRateLimit(key: string): void {
  sharedLimiter().reset(key);
}

/** The refusal's words: what was limited and when to retry (the 429's body and a server action's error). */
export function throttledMessage(verdict: Extract<RateLimitVerdict, { ok: false }>, what = 'this request'): string {
  return `Rate exceeded for ${what}; retry in ${verdict.retryAfterSeconds} s.`;
}

/**
 * The answer to a refused request, as AWS throttles: 429, `ThrottlingException`, and when to retry. The
 * body carries AWS's `__type` and, for the console's fetchJson, the same as `error: { name, message }`.
 */
export function throttledResponse(verdict: Extract<RateLimitVerdict, { ok: false }>, what = 'this request'): Response {
  const message = throttledMessage(verdict, what);
  return Response.json(
    { __type: 'ThrottlingException', message, error: { name: 'ThrottlingException', message } },
    { status: 429, headers: { 'retry-after': String(verdict.retryAfterSeconds), 'cache-control': 'no-store', 'x-amzn-errortype': 'ThrottlingException' } },
  );
}

/**
 * The rules of the route handlers and server actions that are expensive. Forcing an inventory refresh
 * lists and describes every key of a Region (ListKeys, DescribeKey, ListAliases … against the account's
 * control-plane quotas), so it is keyed by account and Region, whoever asks; a usage export
 * streams up to 90 days of events out of the store, keyed by Region. Cheap reads (a key's detail,
 * its public key: one call each) are not limited.
 */
export const RATE_LIMITS = {
  inventoryRefresh: { burst: 10, perSecond: 1 / 3 },
  usageExport: { burst: 5, perSecond: 1 / 10 },
  /** `/api/audit/verdict?full=1` re-hashes the whole log (seconds for a million entries): one key for everyone, as it is this server's CPU. */
  auditVerifyFull: { burst: 3, perSecond: 1 / 60 },
  /** `/api/audit/export` streams the whole filtered log; per user. */
  auditExport: { burst: 5, perSecond: 1 / 10 },
  /** SyncUsage starts a CloudTrail LookupEvents sync of a Region (2 requests/s per account and Region at AWS); keyed by Region. */
  syncUsage: { burst: 3, perSecond: 1 / 20 },
  /** RunLearnStep makes several KMS calls and creates keys in the demo account; per user, one a second after a burst. */
  runLearnStep: { burst: 30, perSecond: 1 },
  /** Local-account sign-in attempts per client address: 20 at once, then one every 3 s (the per-account lockout is the other guard). */
  signIn: { burst: 20, perSecond: 1 / 3 },
} as const satisfies Record<string, RateLimitRule>;
