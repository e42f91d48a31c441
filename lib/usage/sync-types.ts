/** What GET /api/usage/sync answers (plain JSON for the browser). */
import type { SyncProgress } from './ingest';

export interface SyncOverview {
  /** False when KEYDECK_USAGE_SYNC=off. */
  enabled: boolean;
  /** LookupEvents requests a second, per account-region. */
  ratePerSecond: number;
  /** Every account-region the user may see, with its progress or last sync. */
  regions: SyncProgress[];
}
