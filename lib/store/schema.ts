/**
 * The tables of Keydeck's own store, as Kysely sees them. A feature that adds tables (the audit log)
 * adds its interfaces here and its migrations to `migrations.ts`.
 *
 * Portable by construction: times are integer epoch seconds, absent values are '' rather than NULL in
 * key columns, so the same SQL runs on SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

/** One CloudTrail event of a KMS call, kept for drill-down and combined filters (the roll-ups answer the charts). */
export interface UsageEventsTable {
  event_id: string;
  /** Epoch seconds (CloudTrail's eventTime has second resolution). */
  time: number;
  account: string;
  region: string;
  /** The first key ARN the event concerns, or '' (ListKeys, CreateKey refused …). */
  key_arn: string;
  event_name: string;
  /** The caller: the role ARN for an assumed role, the user ARN, or the service name. */
  principal: string;
  /** CloudTrail's errorCode, or '' for a successful call. */
  error_code: string;
  user_agent_family: string;
  /** The price class (symmetric, asymmetric, gdkp-rsa, gdkp-ecc), see lib/usage/event.ts. */
  request_class: string;
  /** The CloudTrail record as LookupEvents returned it. */
  json: string;
}

/**
 * A narrow roll-up: calls per time bucket (an hour in `usage_hourly_*`, a UTC day in `usage_daily_*`)
 * of one dimension, per account, region and whether Keydeck itself made the call; maintained at ingest.
 */
export interface UsageNarrowRollup {
  account: string;
  region: string;
  /** Epoch seconds of the start of the hour or day. */
  bucket: number;
  /** 1 when the caller's user agent family is Keydeck's own, else 0. */
  keydeck: number;
  calls: number;
  /** Of those calls, the refused ones (an errorCode). */
  errors: number;
}
export interface UsageOpsRollup extends UsageNarrowRollup {
  event_name: string;
}
/** Per key and request class: the top-keys chart and the billed requests. */
export interface UsageKeysRollup extends UsageNarrowRollup {
  key_arn: string;
  request_class: string;
}
export interface UsageCallersRollup extends UsageNarrowRollup {
  principal: string;
}
/** Refused calls only (calls = errors). */
export interface UsageErrorsRollup extends UsageNarrowRollup {
  error_code: string;
}
export interface UsageAgentsRollup extends UsageNarrowRollup {
  user_agent_family: string;
}

/** Calls per second and request-quota class (for the peak chart); pruned with the raw events. */
export interface UsageSecondsTable {
  second: number;
  account: string;
  region: string;
  quota_class: string;
  calls: number;
}

/** The busiest second of each hour, per quota class, recomputed at ingest from usage_seconds. */
export interface UsagePeaksTable {
  hour: number;
  account: string;
  region: string;
  quota_class: string;
  peak: number;
}

/** Where the sync of one account-region stands. */
export interface UsageCheckpointsTable {
  account: string;
  region: string;
  /** Newest event time (epoch s) and id of the last completed sync; 0 and '' before the first. */
  newest_time: number;
  newest_id: string;
  /** A sync in progress: the range [run_start, run_end] it covers, and the oldest event stored so far. */
  run_start: number;
  run_end: number;
  run_cursor_time: number;
  run_pages: number;
  run_events: number;
  last_sync_at: number;
  last_error: string;
  updated_at: Generated<number>;
}

/** Small settings of the console (usage retention …), as JSON values. */
export interface SettingsTable {
  name: string;
  value: string;
}

export interface Database {
  usage_events: UsageEventsTable;
  usage_hourly_ops: UsageOpsRollup;
  usage_daily_ops: UsageOpsRollup;
  usage_hourly_keys: UsageKeysRollup;
  usage_daily_keys: UsageKeysRollup;
  usage_hourly_callers: UsageCallersRollup;
  usage_daily_callers: UsageCallersRollup;
  usage_hourly_errors: UsageErrorsRollup;
  usage_daily_errors: UsageErrorsRollup;
  usage_hourly_agents: UsageAgentsRollup;
  usage_daily_agents: UsageAgentsRollup;
  usage_seconds: UsageSecondsTable;
  usage_peaks: UsagePeaksTable;
  usage_checkpoints: UsageCheckpointsTable;
  settings: SettingsTable;
}
