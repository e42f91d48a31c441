import { describe, expect, it } from 'vitest';
import { isThrottling, withThrottleRetry } from './throttle-retry';

const named = (name: string) => Object.assign(new Error(name), { name });

describe('withThrottleRetry', () => {
  it('backs off exponentially with full jitter, capped', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withThrottleRetry(
      async () => {
        if (++calls < 7) throw named('ThrottlingException');
        return 'ok';
      },
      { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('passes other errors through at once', async () => {
    let calls = 0;
    await expect(
      withThrottleRetry(async () => {
        calls++;
        throw named('KMSInvalidStateException');
      }),
    ).rejects.toThrow('KMSInvalidStateException');
    expect(calls).toBe(1);
  });

  it('recognises the SDK throttling flag as well as the names', () => {
    expect(isThrottling(named('ThrottlingException'))).toBe(true);
    expect(isThrottling(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(named('AccessDeniedException'))).toBe(false);
    expect(isThrottling('ThrottlingException')).toBe(false);
  });
});
