import { describe, expect, it } from 'vitest';
import { rateLimit, resetRateLimit, throttledResponse, TokenBucketLimiter } from './rate-limit';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refuses with the seconds until a token is back', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(c.now);
    const rule = { burst: 3, perSecond: 0.5 };
    expect([1, 2, 3].map(() => limiter.take('k', rule).ok)).toEqual([true, true, true]);
    expect(limiter.take('k', rule)).toEqual({ ok: false, retryAfterSeconds: 2 });
    c.advance(1999);
    expect(limiter.take('k', rule).ok).toBe(false);
    c.advance(1);
    expect(limiter.take('k', rule)).toEqual({ ok: true, remaining: 0 });
  });

  it('refills at its rate but never above the burst', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(c.now);
    const rule = { burst: 2, perSecond: 1 };
    limiter.take('k', rule);
    limiter.take('k', rule);
    c.advance(60_000);
    expect(limiter.take('k', rule)).toEqual({ ok: true, remaining: 1 });
    expect(limiter.take('k', rule)).toEqual({ ok: true, remaining: 0 });
    expect(limiter.take('k', rule).ok).toBe(false);
  });

  it('keeps keys apart, and reset forgets one', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(c.now);
    const rule = { burst: 1, perSecond: 0.01 };
    expect(limiter.take('alice', rule).ok).toBe(true);
    expect(limiter.take('alice', rule).ok).toBe(false);
    expect(limiter.take('bob', rule).ok).toBe(true);
    limiter.reset('alice');
    expect(limiter.take('alice', rule).ok).toBe(true);
  });

  it('holds at most maxKeys buckets, dropping the least recently used', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(c.now, 2);
    const rule = { burst: 1, perSecond: 0.001 };
    limiter.take('a', rule);
    limiter.take('b', rule);
    limiter.take('a', rule); // a is now the most recent
    limiter.take('c', rule); // evicts b
    expect(limiter.size).toBe(2);
    expect(limiter.take('b', rule).ok).toBe(true); // a fresh bucket
    expect(limiter.take('c', rule).ok).toBe(false);
  });

  it('refuses a rule that would never refill', () => {
    expect(() => new TokenBucketLimiter().take('k', { burst: 1, perSecond: 0 })).toThrow(RangeError);
  });
});

describe('rateLimit and throttledResponse', () => {
  it('share one limiter per process and answer 429 ThrottlingException with Retry-After', async () => {
    const key = `test:${Math.random()}`;
    const rule = { burst: 1, perSecond: 1 / 30 };
    expect(rateLimit(key, rule).ok).toBe(true);
    const verdict = rateLimit(key, rule);
    if (verdict.ok) throw new Error('expected a refusal');
    const response = throttledResponse(verdict, 'inventory refresh');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    const message = 'Rate exceeded for inventory refresh; retry in 30 s.';
    expect(await response.json()).toEqual({ __type: 'ThrottlingException', message, error: { name: 'ThrottlingException', message } });
    resetRateLimit(key);
    expect(rateLimit(key, rule).ok).toBe(true);
  });
});
