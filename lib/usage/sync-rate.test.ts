import { describe, expect, it } from 'vitest';
import { LOOKUP_EVENTS_PER_SECOND } from './ingest';
import { DEFAULT_DEMO_SYNC_RATE, lookupEventsRate } from './sync-rate';

describe('lookupEventsRate', () => {
  it("keeps AWS's 2 requests a second in aws mode, whatever the demo setting says", () => {
    expect(lookupEventsRate('aws', { KEYDECK_DEMO_SYNC_RATE: '50' })).toBe(LOOKUP_EVENTS_PER_SECOND);
    expect(LOOKUP_EVENTS_PER_SECOND).toBe(2);
  });

  it('syncs the demo faster, by default and as configured', () => {
    expect(lookupEventsRate('demo', {})).toBe(DEFAULT_DEMO_SYNC_RATE);
    expect(lookupEventsRate('demo', { KEYDECK_DEMO_SYNC_RATE: ' ' })).toBe(DEFAULT_DEMO_SYNC_RATE);
    expect(lookupEventsRate('demo', { KEYDECK_DEMO_SYNC_RATE: '2' })).toBe(2);
    expect(lookupEventsRate('demo', { KEYDECK_DEMO_SYNC_RATE: '25.5' })).toBe(25.5);
  });

  it('refuses a rate it cannot use, naming the variable', () => {
    for (const bad of ['0', '-1', '101', 'fast', 'Infinity']) {
      expect(() => lookupEventsRate('demo', { KEYDECK_DEMO_SYNC_RATE: bad })).toThrow(`KEYDECK_DEMO_SYNC_RATE must be LookupEvents requests a second between 1 and 100, not '${bad}'`);
    }
  });
});
