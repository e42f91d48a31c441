import { describe, expect, it } from 'vitest';
import { checkCustomRange, parseDate, rangeLabel, resolveRange, UsageRangeError } from './range';

// 2026-12-04 10:20:00 UTC
const NOW = Date.UTC(2026, 11, 4, 10, 20) / 1000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

describe('parseDate', () => {
  it('reads real UTC dates only', () => {
    expect(parseDate('2026-11-01')).toBe(day('2026-11-01'));
    expect(parseDate('2026-02-31')).toBeUndefined();
    expect(parseDate('2026-11-1')).toBeUndefined();
    expect(parseDate("2026-11-01' or 1=1")).toBeUndefined();
    expect(parseDate(undefined)).toBeUndefined();
  });
});

describe('checkCustomRange', () => {
  it('spans from 00:00 of the first date to 24:00 of the last, both included', () => {
    expect(checkCustomRange('2026-11-01', '2026-11-15', NOW, 90)).toEqual({ ok: true, from: day('2026-11-01'), to: day('2026-11-16') });
    // One day is a range too.
    expect(checkCustomRange('2026-11-15', '2026-11-15', NOW, 90)).toEqual({ ok: true, from: day('2026-11-15'), to: day('2026-11-16') });
  });

  it('ends today’s range at the next whole hour, not in the future', () => {
    expect(checkCustomRange('2026-12-01', '2026-12-04', NOW, 90)).toEqual({ ok: true, from: day('2026-12-01'), to: Date.UTC(2026, 11, 4, 11) / 1000 });
  });

  it('refuses a start after the end', () => {
    expect(checkCustomRange('2026-11-15', '2026-11-14', NOW, 90)).toEqual({ ok: false, field: 'to', message: '‘To’ must be on or after ‘From’.' });
  });

  it('refuses a start before the store’s window, naming the earliest date', () => {
    expect(checkCustomRange('2026-09-05', '2026-09-10', NOW, 90)).toEqual({ ok: true, from: day('2026-09-05'), to: day('2026-09-11') });
    expect(checkCustomRange('2026-09-04', '2026-09-10', NOW, 90)).toEqual({
      ok: false,
      field: 'from',
      message: '‘From’ must be within the store’s 90-day window: 2026-09-05 or later.',
    });
    // A shorter retention setting narrows the window.
    expect(checkCustomRange('2026-11-01', '2026-11-02', NOW, 30)).toMatchObject({ ok: false, field: 'from', message: expect.stringContaining('30-day window: 2026-11-04') });
  });

  it('refuses an end after today and dates that are not dates', () => {
    expect(checkCustomRange('2026-12-01', '2026-12-05', NOW, 90)).toEqual({ ok: false, field: 'to', message: '‘To’ cannot be after today (2026-12-04, UTC).' });
    expect(checkCustomRange(undefined, '2026-12-01', NOW, 90)).toEqual({ ok: false, field: 'from', message: '‘From’ is required for a custom range.' });
    expect(checkCustomRange('2026-11-01', 'yesterday', NOW, 90)).toEqual({ ok: false, field: 'to', message: '‘To’ must be a date as YYYY-MM-DD, not ‘yesterday’.' });
  });
});

describe('resolveRange', () => {
  it('ends fixed ranges at the next whole hour', () => {
    const to = Date.UTC(2026, 11, 4, 11) / 1000;
    expect(resolveRange({ range: '7d' }, NOW, 90)).toEqual({ from: to - 7 * 86_400, to });
  });

  it('throws a ValidationException for a bad custom range', () => {
    const attempt = () => resolveRange({ range: 'custom', from: '2026-11-20', to: '2026-11-10' }, NOW, 90);
    expect(attempt).toThrow(UsageRangeError);
    expect(attempt).toThrow('‘To’ must be on or after ‘From’.');
    try {
      attempt();
    } catch (error) {
      expect((error as Error).name).toBe('ValidationException');
    }
  });

  it('labels ranges', () => {
    expect(rangeLabel({ range: '24h' })).toBe('24 h');
    expect(rangeLabel({ range: '90d' })).toBe('90 d');
    expect(rangeLabel({ range: 'custom', from: '2026-11-01', to: '2026-11-15' })).toBe('2026-11-01 – 2026-11-15');
  });
});
