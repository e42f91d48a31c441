import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A fresh data dir for this file, set before the modules that read the configuration are imported.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-signin-'));
process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = dataDir;
delete process.env.KEYDECK_TRUST_PROXY;

vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

const { testRequest } = await import('./test-request');
const { signInLocalAction } = await import('@/app/signin/actions');
const { RATE_LIMITS, TokenBucketLimiter } = await import('@/lib/security/rate-limit');
const { runWithPeerAddress } = await import('@/lib/security/peer-address');
const { sharedStore } = await import('@/lib/store/shared');

afterAll(async () => {
  await (await sharedStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function attempt(peer: string, forgedFor: string) {
  testRequest.headers = { 'x-forwarded-for': forgedFor };
  const form = new FormData();
  form.set('userName', `nobody-${forgedFor}`);
  form.set('password', 'a wrong password');
  return runWithPeerAddress(peer, () => signInLocalAction({ error: null, userName: '' }, form));
}

describe('the sign-in rate limit per address', () => {
  it('is not reset by a new X-Forwarded-For on each attempt', async () => {
    // The process's shared limiter, with a clock that stands still: a slow machine's attempts earn no refill.
    (globalThis as Record<symbol, unknown>)[Symbol.for('keydeck.rateLimiter')] = new TokenBucketLimiter(() => 0);
    for (let i = 0; i < RATE_LIMITS.signIn.burst; i++) {
      expect((await attempt('192.0.2.50', `203.0.113.${i}`)).error).toBe('Wrong user name or password.');
    }
    expect((await attempt('192.0.2.50', '203.0.113.200')).error).toMatch(/^Too many sign-in attempts from this address\. Try again in \d+ s\.$/);
    // Another machine is not slowed down by the first one's guesses.
    expect((await attempt('192.0.2.51', '203.0.113.200')).error).toBe('Wrong user name or password.');
  });
});
