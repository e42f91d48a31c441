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

/**
 * A billing roll-up (`usage_hourly_billed`, `usage_daily_billed`): successful calls per bucket, request
 * class and the key where it sets the price (asymmetric calls; '' for every other class). Keydeck's own
 * calls included: they are billed too.
 */
export interface UsageBilledRollup {
  account: string;
  region: string;
  bucket: number;
  request_class: string;
  key_arn: string;
  calls: number;
}

/** A billing roll-up by operation (`usage_hourly_billed_ops`, `usage_daily_billed_ops`): the cost per API. */
export interface UsageBilledOpsRollup extends UsageBilledRollup {
  event_name: string;
}

/** A billing roll-up by caller (`usage_hourly_billed_callers`, `usage_daily_billed_callers`): the cost per caller. */
export interface UsageBilledCallersRollup extends UsageBilledRollup {
  principal: string;
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

/** A person who may sign in: a local account, an OpenID Connect subject, or a demo persona. */
export interface AuthUsersTable {
  /** Random, stable; what sessions and the audit log refer to. */
  id: string;
  provider: 'local' | 'oidc' | 'demo';
  /** The local user name, the OIDC `sub` (prefixed with its issuer), or the persona's name. */
  subject: string;
  name: string;
  email: string;
  role: 'viewer' | 'operator' | 'admin';
  /** Comma-separated account names the user may see; '' for all. */
  accounts: string;
  /** scrypt hash of a local account's password (`scrypt$N$r$p$salt$hash`), '' otherwise. */
  password_hash: Generated<string>;
  failed_sign_ins: Generated<number>;
  /** Epoch seconds until which sign-in is refused after repeated failures; 0 when not locked. */
  locked_until: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export interface AuthSessionsTable {
  token_hash: string;
  user_id: string;
  /** Epoch seconds. The absolute timeout counts from created_at, the idle timeout from last_seen_at. */
  created_at: number;
  last_seen_at: number;
  ip: string;
  user_agent: string;
  /** Epoch seconds of sign-out (or sign-out everywhere); 0 while valid. */
  revoked_at: number;
}

/**
 * The console's own audit log: one row per server action (and sign-in event), append-only and
 * hash-chained (lib/audit/). Never updated or deleted by the application.
 */
export interface AuditLogTable {
  /** 1, 2, 3 … without gaps: the position in the chain. */
  seq: number;
  /** Epoch milliseconds (several actions can share a second). */
  time_ms: number;
  /** The user's id, or 'anonymous' when no one was signed in. */
  actor_id: string;
  actor_name: string;
  /** viewer | operator | admin, or '' for anonymous. */
  actor_role: string;
  /** local | oidc | demo, or '' for anonymous. */
  actor_provider: string;
  ip: string;
  user_agent: string;
  account: string;
  region: string;
  /** The key the input named (id, ARN or alias), or ''. */
  key_id: string;
  /** The action's name, e.g. PutKeyPolicy, or SignIn. */
  action: string;
  /** The input as canonical JSON, secrets removed (lib/audit/redact.ts). */
  params: string;
  /** JSON array of the parameter paths that were removed. */
  redacted: string;
  outcome: 'ok' | 'error' | 'denied';
  error_name: string;
  error_message: string;
  /** Space-separated AWS request ids of the SDK calls the action made. */
  request_ids: string;
  /** Hex SHA-256 of the entry before (64 zeros for the first), and of this one. */
  prev_hash: string;
  hash: string;
}

/** One step of one /learn scenario, as one user last ran it. */
export interface LearnProgressTable {
  user_id: string;
  scenario: string;
  step: string;
  status: 'passed' | 'failed';
  reason: string;
  /** JSON: what the step hands to later steps (key ARNs, ciphertexts, digests; never a plaintext). */
  state: string;
  /** JSON: the keys the step made ({ arn, as }), for "reset scenario". */
  keys: string;
  /** Epoch seconds. */
  updated_at: number;
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
  usage_hourly_billed: UsageBilledRollup;
  usage_daily_billed: UsageBilledRollup;
  usage_hourly_billed_ops: UsageBilledOpsRollup;
  usage_daily_billed_ops: UsageBilledOpsRollup;
  usage_hourly_billed_callers: UsageBilledCallersRollup;
  usage_daily_billed_callers: UsageBilledCallersRollup;
  usage_seconds: UsageSecondsTable;
  usage_peaks: UsagePeaksTable;
  usage_checkpoints: UsageCheckpointsTable;
  settings: SettingsTable;
  auth_users: AuthUsersTable;
  auth_sessions: AuthSessionsTable;
  audit_log: AuditLogTable;
  learn_progress: LearnProgressTable;
}
