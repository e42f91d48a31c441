import { describe, expect, it } from 'vitest';
import { startupProblems } from '@/lib/startup-check';
import { firstSyncDays, usageSyncEnabled } from './sync-window';

describe('firstSyncDays', () => {
  it('is 90 days unless KEYDECK_USAGE_FIRST_SYNC_DAYS chooses 1–90', () => {
    expect(firstSyncDays({})).toBe(90);
    expect(firstSyncDays({ KEYDECK_USAGE_FIRST_SYNC_DAYS: '' })).toBe(90);
    expect(firstSyncDays({ KEYDECK_USAGE_FIRST_SYNC_DAYS: '1' })).toBe(1);
    expect(firstSyncDays({ KEYDECK_USAGE_FIRST_SYNC_DAYS: '30' })).toBe(30);
    expect(firstSyncDays({ KEYDECK_USAGE_FIRST_SYNC_DAYS: '90' })).toBe(90);
  });

  it('refuses a window LookupEvents cannot give, and start-up names the variable', () => {
    for (const bad of ['0', '91', '7.5', 'week', '-3']) {
      expect(() => firstSyncDays({ KEYDECK_USAGE_FIRST_SYNC_DAYS: bad })).toThrow(`KEYDECK_USAGE_FIRST_SYNC_DAYS must be a whole number of days between 1 and 90, not '${bad}'`);
    }
    expect(startupProblems({ KEYDECK_USAGE_FIRST_SYNC_DAYS: '120' })).toEqual(["KEYDECK_USAGE_FIRST_SYNC_DAYS must be a whole number of days between 1 and 90, not '120'"]);
  });
});

describe('usageSyncEnabled', () => {
  it('is off only when KEYDECK_USAGE_SYNC says off', () => {
    expect(usageSyncEnabled({})).toBe(true);
    expect(usageSyncEnabled({ KEYDECK_USAGE_SYNC: 'on' })).toBe(true);
    expect(usageSyncEnabled({ KEYDECK_USAGE_SYNC: 'off' })).toBe(false);
    expect(usageSyncEnabled({ KEYDECK_USAGE_SYNC: 'OFF ' })).toBe(false);
  });
});
