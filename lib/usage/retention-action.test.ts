/** Settings' usage-retention action (app/(console)/settings/actions.ts): admin only, audited, validated, and applied to the store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { UsageEvent } from './event';

// The session comes from the request's cookie, which a unit test has not: the role is set here (as in source-action.test.ts).
const signedIn = vi.hoisted(() => ({ role: null as Role | null }));
vi.mock('@/lib/auth/session', async () => (await import('@/lib/auth/test-session')).fakeSession(signedIn));

process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-retention-action-'));
delete process.env.KEYDECK_DATABASE_URL;

const { setUsageRetentionAction } = await import('@/app/(console)/settings/actions');
const { sharedStore } = await import('@/lib/store/shared');
const { DAY_S, DEFAULT_RETENTION, getRetention, insertEvents } = await import('./event-store');
const { listAuditEntries } = await import('@/lib/audit/log');

beforeEach(() => {
  signedIn.role = 'admin';
});

const nowS = Math.floor(Date.now() / 1000);
const event = (id: string, daysAgo: number): UsageEvent => ({
  eventId: id,
  time: nowS - daysAgo * DAY_S,
  account: '111122223333',
  region: 'us-east-1',
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
  eventName: 'Encrypt',
  principal: 'arn:aws:iam::111122223333:role/app',
  errorCode: '',
  userAgentFamily: 'aws-cli',
  quotaClass: 'symmetric',
  requestClass: 'symmetric',
  json: '{}',
});

describe('setUsageRetentionAction', () => {
  it('starts from the default: raw events 90 days, roll-ups 400', async () => {
    expect(await getRetention((await sharedStore()).db)).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION.rawDays).toBe(90);
  });

  it('refuses what it cannot keep, naming the field, and keeps the setting as it was', async () => {
    const cases: [object, string][] = [
      [{ rawDays: 0, rollupDays: 400 }, 'rawDays: must be at least 1 day'],
      [{ rawDays: 30, rollupDays: 4000 }, 'rollupDays: must be at most 3650 days'],
      [{ rawDays: 7.5, rollupDays: 400 }, 'rawDays: must be a whole number of days'],
      [{ rawDays: 120, rollupDays: 60 }, 'rollupDays: must be at least as long as the raw events are kept'],
      [{ rawDays: Number.NaN, rollupDays: 60 }, 'rawDays: must be a number of days'],
    ];
    for (const [input, message] of cases) {
      expect(await setUsageRetentionAction(input as { rawDays: number; rollupDays: number })).toEqual({ ok: false, error: { name: 'ValidationException', message } });
    }
    expect(await getRetention((await sharedStore()).db)).toEqual(DEFAULT_RETENTION);
  });

  it('is for admins only', async () => {
    signedIn.role = 'operator';
    expect(await setUsageRetentionAction({ rawDays: 30, rollupDays: 60 })).toMatchObject({ ok: false, error: { name: 'AccessDeniedException' } });
  });

  it('saves the retention, prunes the store at once, and writes each attempt to the audit log', async () => {
    const db = (await sharedStore()).db;
    await insertEvents(db, [event('recent', 2), event('month-old', 40), event('old', 70), event('older', 100)]);
    const result = await setUsageRetentionAction({ rawDays: 30, rollupDays: 60 });
    expect(result).toEqual({ ok: true, data: { rawDays: 30, rollupDays: 60, deletedEvents: 3 } });
    expect(await getRetention(db)).toEqual({ rawDays: 30, rollupDays: 60 });
    expect((await db.selectFrom('usage_events').select('event_id').execute()).map((r) => r.event_id)).toEqual(['recent']);
    // The roll-ups keep 60 days: the 40-day-old call still counts in the charts, the older ones do not.
    const daily = await db.selectFrom('usage_daily_ops').select(['bucket', 'calls']).orderBy('bucket').execute();
    expect(daily.map((r) => Number(r.calls))).toEqual([1, 1]);
    expect(Number(daily[0].bucket)).toBe(Math.floor((nowS - 40 * DAY_S) / DAY_S) * DAY_S);
    const billed = await db.selectFrom('usage_daily_billed_callers').select('calls').execute();
    expect(billed).toHaveLength(2);
    const entries = await listAuditEntries(db, { action: 'SetUsageRetention' }, { limit: 20 });
    expect(entries.filter((e) => e.outcome === 'ok')).toHaveLength(1);
    expect(entries.filter((e) => e.outcome === 'denied')).toHaveLength(1);
    expect(entries.filter((e) => e.outcome === 'error')).toHaveLength(5);
  });
});
