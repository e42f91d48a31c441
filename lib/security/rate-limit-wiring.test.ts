/** The expensive route handlers and server actions are wired to their RATE_LIMITS rule: the answer over it, not only the limiter. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// A fresh data dir for this file, set before the modules that read the configuration are imported.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-limits-'));
process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = dataDir;

vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

const { signInForTest } = await import('@/lib/auth/test-request');
const { RATE_LIMITS, rateLimit, TokenBucketLimiter } = await import('./rate-limit');
const { GET: verdictRoute } = await import('@/app/api/audit/verdict/route');
const { GET: exportRoute } = await import('@/app/api/audit/export/route');
const { syncUsageNowAction } = await import('@/app/(console)/usage/actions');
const { runLearnStepAction } = await import('@/app/(console)/learn/actions');
const { syncNow } = await import('@/lib/usage/sync-job');
const { consoleContext } = await import('@/lib/kms/scope');
const { sharedStore } = await import('@/lib/store/shared');

beforeAll(async () => {
  // The process's shared limiter, with a clock that stands still: a slow machine's calls earn no refill.
  (globalThis as Record<symbol, unknown>)[Symbol.for('keydeck.rateLimiter')] = new TokenBucketLimiter(() => 0);
  await signInForTest('viewer');
});

afterAll(async () => {
  await (await sharedStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (route: (request: Request, context: never) => Promise<Response>, url: string) => route(new Request(`http://console.test${url}`), undefined as never);

describe('GET /api/audit/verdict?full=1', () => {
  it(`answers ${RATE_LIMITS.auditVerifyFull.burst} full walks, then 429 ThrottlingException with Retry-After; the page's verdict stays free`, async () => {
    for (let i = 0; i < RATE_LIMITS.auditVerifyFull.burst; i++) expect((await get(verdictRoute, '/api/audit/verdict?full=1')).status).toBe(200);
    const refused = await get(verdictRoute, '/api/audit/verdict?full=1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ __type: 'ThrottlingException', message: expect.stringMatching(/^Rate exceeded for full audit chain checks; retry in \d+ s\.$/) });
    expect((await get(verdictRoute, '/api/audit/verdict')).status).toBe(200);
  });
});

describe('GET /api/audit/export', () => {
  it(`answers ${RATE_LIMITS.auditExport.burst} exports a user, then 429 ThrottlingException`, async () => {
    for (let i = 0; i < RATE_LIMITS.auditExport.burst; i++) {
      const response = await get(exportRoute, '/api/audit/export');
      expect(response.status).toBe(200);
      await response.text();
    }
    const refused = await get(exportRoute, '/api/audit/export');
    expect(refused.status).toBe(429);
    expect((await refused.json()).__type).toBe('ThrottlingException');
    // Another user has a bucket of their own.
    await signInForTest('operator');
    expect((await get(exportRoute, '/api/audit/export')).status).toBe(200);
    await signInForTest('viewer');
  });
});

describe('the SyncUsage server action', () => {
  it(`starts ${RATE_LIMITS.syncUsage.burst} syncs of a Region, then returns ThrottlingException`, async () => {
    const region = consoleContext().regions[0]!;
    for (let i = 0; i < RATE_LIMITS.syncUsage.burst; i++) expect(await syncUsageNowAction({ region })).toEqual({ ok: true, data: { started: true } });
    expect(await syncUsageNowAction({ region })).toEqual({
      ok: false,
      error: { name: 'ThrottlingException', message: expect.stringMatching(/^Rate exceeded for usage syncs of this Region; retry in \d+ s\.$/) },
    });
    await syncNow(region); // the sync the calls started, finished before the store closes
  });
});

describe('the RunLearnStep server action', () => {
  it("returns ThrottlingException once the user's bucket is empty, before running the step", async () => {
    const user = await signInForTest('operator');
    for (let i = 0; i < RATE_LIMITS.runLearnStep.burst; i++) rateLimit(`action:RunLearnStep:${user.id}`, RATE_LIMITS.runLearnStep);
    const result = await runLearnStepAction({ scenario: 'key-policy-basics', step: 'default-policy' });
    expect(result).toMatchObject({ ok: false, error: { name: 'ThrottlingException' } });
    await signInForTest('viewer');
  });
});
