/**
 * Per-account scoping where the server enforces it: defineAction and withRole, for a real signed-in user
 * limited to one of the console's two accounts (aws mode; no AWS call is needed to refuse).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-scoping-'));
Object.assign(process.env, { KEYDECK_MODE: 'aws', KEYDECK_DATA_DIR: dataDir, KEYDECK_ACCOUNTS: 'prod=111122223333,dev=444455556666', KEYDECK_REGIONS: 'us-east-1' });

const { defineAction } = await import('@/lib/actions/define-action');
const { withRole } = await import('./route-guard');
const { signInForTest } = await import('./test-request');
const { sharedStore } = await import('@/lib/store/shared');

afterAll(async () => {
  await (await sharedStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a user limited to the dev account', () => {
  beforeAll(async () => {
    await signInForTest('operator', ['dev']);
  });

  it('may run an action in dev, and is refused in prod or the default account (prod)', async () => {
    let runs = 0;
    const act = defineAction({ name: 'TagResource', role: 'operator', input: z.object({ account: z.string().optional() }), run: async () => ++runs });
    await expect(act({ account: 'dev' })).resolves.toEqual({ ok: true, data: 1 });
    await expect(act({ account: 'prod' })).resolves.toEqual({ ok: false, error: { name: 'AccessDeniedException', message: 'operator one may work only in the account dev, not in prod.' } });
    await expect(act({})).resolves.toMatchObject({ ok: false, error: { name: 'AccessDeniedException' } });
    expect(runs).toBe(1);
    const signOut = defineAction({ name: 'SignOut', role: 'viewer', accountScoped: false, input: z.object({}), run: async () => 'bye' });
    await expect(signOut({})).resolves.toEqual({ ok: true, data: 'bye' });
  });

  it('reads a route in dev, and is refused (403) in prod or the default account, except where no account applies', async () => {
    const handler = withRole('viewer', async () => Response.json({ fine: true }));
    expect((await handler(new Request('http://console/api/keys?region=us-east-1&account=dev'))).status).toBe(200);
    const refused = await handler(new Request('http://console/api/keys?region=us-east-1&account=prod'));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ __type: 'AccessDeniedException', message: 'operator one may work only in the account dev, not in prod.' });
    expect((await handler(new Request('http://console/api/keys?region=us-east-1'))).status).toBe(403);
    const log = withRole('viewer', async () => Response.json({ entries: [] }), { accountScoped: false });
    expect((await log(new Request('http://console/api/audit'))).status).toBe(200);
  });

  it('an unscoped user goes everywhere', async () => {
    await signInForTest('admin');
    const handler = withRole('viewer', async () => Response.json({ fine: true }));
    expect((await handler(new Request('http://console/api/keys?account=prod'))).status).toBe(200);
  });
});
