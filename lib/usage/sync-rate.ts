/**
 * How many LookupEvents requests a second the usage sync makes per account and Region. Against AWS it is
 * AWS's quota, 2 (ingest.ts). The demo's in-process emulator has no such quota, and at 2 a second its
 * ~1 M events of history would take about two hours to chart: the demo syncs faster, KEYDECK_DEMO_SYNC_RATE
 * requests a second (default 10: the full history in about half an hour, newest first, using part of a core).
 */
import { LOOKUP_EVENTS_PER_SECOND } from './ingest';

export const DEFAULT_DEMO_SYNC_RATE = 10;

/** The sync's LookupEvents rate in `mode`; an invalid KEYDECK_DEMO_SYNC_RATE throws, naming the variable. */
export function lookupEventsRate(mode: 'demo' | 'aws', env: Record<string, string | undefined>): number {
  if (mode === 'aws') return LOOKUP_EVENTS_PER_SECOND;
  const raw = env.KEYDECK_DEMO_SYNC_RATE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_DEMO_SYNC_RATE;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate < 1 || rate > 100) {
    throw new Error(`KEYDECK_DEMO_SYNC_RATE must be LookupEvents requests a second between 1 and 100, not '${raw}'`);
  }
  return rate;
}
