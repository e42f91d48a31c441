/** The usage page's URL → query → store filter, for the custom range (lib/usage/report.ts). */
import { describe, expect, it } from 'vitest';
import { usageParams } from '@/lib/queries/usage';
import { UsageRangeError } from './range';
import { filterOf, parseUsageQuery } from './report';

const NOW = Date.UTC(2026, 11, 4, 10, 20) / 1000;

describe('the custom range in the URL', () => {
  it('round-trips through the URL and filters the store from the first date’s 00:00 to the last date’s 24:00', () => {
    const q = parseUsageQuery(new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-15&own=hide&key=arn%3Ak'), 'us-east-1');
    expect(q).toMatchObject({ range: 'custom', from: '2026-11-01', to: '2026-11-15', hideKeydeck: true, key: 'arn:k' });
    expect(parseUsageQuery(new URLSearchParams(usageParams(q)), 'us-east-1')).toEqual(q);
    expect(filterOf(q, '111122223333', NOW)).toMatchObject({ from: Date.UTC(2026, 10, 1) / 1000, to: Date.UTC(2026, 10, 16) / 1000, keyArn: 'arn:k', hideKeydeck: true });
  });

  it('keeps from and to only for a custom range', () => {
    const q = parseUsageQuery({ range: '7d', from: '2026-11-01', to: '2026-11-02' }, 'eu-west-1');
    expect(q).toMatchObject({ range: '7d', from: undefined, to: undefined });
    expect(usageParams(q)).toBe('region=eu-west-1&range=7d');
  });

  it('refuses a bad custom range with a ValidationException instead of a default', () => {
    const q = parseUsageQuery({ range: 'custom', from: '2026-11-10', to: '2026-11-01' }, 'us-east-1');
    expect(() => filterOf(q, '111122223333', NOW)).toThrow(UsageRangeError);
    // The window follows the retention setting.
    const old = parseUsageQuery({ range: 'custom', from: '2026-10-01', to: '2026-10-02' }, 'us-east-1');
    expect(() => filterOf(old, '111122223333', NOW, 90)).not.toThrow();
    expect(() => filterOf(old, '111122223333', NOW, 30)).toThrow('‘From’ must be within the store’s 30-day window: 2026-11-04 or later.');
  });
});
