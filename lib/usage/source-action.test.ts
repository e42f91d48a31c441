/** Settings' usage-source action (app/(console)/settings/actions.ts): admin only, audited, Lake refused in demo mode. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@/lib/auth/roles';

// The session comes from the request's cookie, which a unit test has not: the role is set here (as in define-action.test.ts).
const signedIn = vi.hoisted(() => ({ role: null as Role | null }));
vi.mock('@/lib/auth/session', async () => (await import('@/lib/auth/test-session')).fakeSession(signedIn));

process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-source-action-'));
delete process.env.KEYDECK_DATABASE_URL;

const { setUsageSourceAction } = await import('@/app/(console)/settings/actions');
const { sharedStore } = await import('@/lib/store/shared');
const { getUsageSource } = await import('./source');
const { listAuditEntries } = await import('@/lib/audit/log');

beforeEach(() => {
  signedIn.role = 'admin';
});

const EDS = 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';

describe('setUsageSourceAction', () => {
  it('refuses Lake in demo mode with the reason, and leaves the setting as it was', async () => {
    const result = await setUsageSourceAction({ kind: 'lake', eventDataStore: EDS });
    expect(result).toEqual({ ok: false, error: { name: 'ValidationException', message: 'Not in demo mode: the emulator does not run CloudTrail Lake SQL.' } });
    expect(await getUsageSource((await sharedStore()).db)).toEqual({ kind: 'store' });
  });

  it('is for admins only', async () => {
    signedIn.role = 'operator';
    expect(await setUsageSourceAction({ kind: 'store' })).toMatchObject({ ok: false, error: { name: 'AccessDeniedException' } });
  });

  it('saves the embedded store and writes each attempt to the audit log', async () => {
    expect(await setUsageSourceAction({ kind: 'store' })).toEqual({ ok: true, data: { kind: 'store' } });
    const entries = await listAuditEntries((await sharedStore()).db, { action: 'SetUsageSource' }, { limit: 10 });
    expect(entries.map((e) => e.outcome).sort()).toEqual(['denied', 'error', 'ok']);
  });
});
