/**
 * How far back the first sync of an account-region reads CloudTrail: KEYDECK_USAGE_FIRST_SYNC_DAYS, 1–90
 * (LookupEvents keeps 90 days), default 90. A shorter window charts a busy account sooner.
 */
import { DEFAULT_WINDOW_DAYS } from './ingest';

export const MAX_FIRST_SYNC_DAYS = 90;

/** The first-sync window in days; an invalid KEYDECK_USAGE_FIRST_SYNC_DAYS throws, naming the variable. */
export function firstSyncDays(env: Record<string, string | undefined>): number {
  const raw = env.KEYDECK_USAGE_FIRST_SYNC_DAYS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_WINDOW_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > MAX_FIRST_SYNC_DAYS) {
    throw new Error(`KEYDECK_USAGE_FIRST_SYNC_DAYS must be a whole number of days between 1 and ${MAX_FIRST_SYNC_DAYS}, not '${raw}'`);
  }
  return days;
}

/** False when KEYDECK_USAGE_SYNC=off: no background sync, no sync on page views, no "Sync now". */
export function usageSyncEnabled(env: Record<string, string | undefined>): boolean {
  return env.KEYDECK_USAGE_SYNC?.trim().toLowerCase() !== 'off';
}
