/** How long the usage store keeps what it syncs (the Settings value; plain data, safe for the browser). */
export interface Retention {
  /** Raw events and per-second counts older than this are deleted. */
  rawDays: number;
  /** Roll-ups (hourly, daily) and peaks older than this are deleted. */
  rollupDays: number;
}

export const DEFAULT_RETENTION: Retention = { rawDays: 90, rollupDays: 400 };
/** Ten years: the longest either retention may be. */
export const MAX_RETENTION_DAYS = 3650;
