/**
 * The console's audit log in the store: append (serialized, hash-chained), read pages newest first with
 * filters, and verify the chain in pages. There is deliberately no update or delete: the log is
 * append-only, and retention (pruning old entries) is out of scope.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Backend } from '@/lib/store';
import type { AuditLogTable, Database } from '@/lib/store/schema';
import { canonicalJson, chainHash, GENESIS_HASH } from './canonical';

export type AuditRow = Selectable<AuditLogTable>;
export type AuditOutcome = AuditLogTable['outcome'];
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['ok', 'error', 'denied'];

/** Who did it; `anonymous` when no one was signed in. */
export interface AuditActor {
  id: string;
  name: string;
  role: string;
  provider: string;
}

export const ANONYMOUS: AuditActor = { id: 'anonymous', name: 'anonymous', role: '', provider: '' };

/** One entry as the caller gives it: everything but the position and the hashes. */
export interface AuditEntryInput {
  timeMs: number;
  actor: AuditActor;
  ip: string;
  userAgent: string;
  account: string;
  region: string;
  keyId: string;
  action: string;
  /** Already redacted (redactParams); stored as canonical JSON. */
  params: unknown;
  redacted: string[];
  outcome: AuditOutcome;
  errorName: string;
  errorMessage: string;
  requestIds: string[];
}

/** A stored entry as the page and the CSV show it. */
export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

// Parameters larger than this (a forged request) are replaced by their size; a key policy (≤ 131,072
// characters in the API model) always fits.
const MAX_PARAMS_CHARS = 262_144;

type Content = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

function toContent(entry: AuditEntryInput): Content {
  let params = canonicalJson(entry.params);
  if (params.length > MAX_PARAMS_CHARS) params = canonicalJson({ omitted: `parameters of ${params.length} characters` });
  return {
    time_ms: entry.timeMs,
    actor_id: entry.actor.id.slice(0, 64),
    actor_name: entry.actor.name.slice(0, 256),
    actor_role: entry.actor.role.slice(0, 16),
    actor_provider: entry.actor.provider.slice(0, 16),
    ip: entry.ip.slice(0, 64),
    user_agent: entry.userAgent.slice(0, 512),
    account: entry.account.slice(0, 64),
    region: entry.region.slice(0, 32),
    key_id: entry.keyId.slice(0, 2048),
    action: entry.action.slice(0, 128),
    params,
    redacted: JSON.stringify(entry.redacted),
    outcome: entry.outcome,
    error_name: entry.errorName.slice(0, 128),
    error_message: entry.errorMessage.slice(0, 4096),
    request_ids: entry.requestIds.join(' '),
  };
}

/** The hash of a stored row: over its previous hash and every column but seq and the hashes. */
export function rowHash(row: AuditRow): string {
  const { seq: _seq, prev_hash, hash: _hash, ...content } = row;
  return chainHash(prev_hash, { ...content, time_ms: Number(content.time_ms) });
}

export function toEntry(row: AuditRow): AuditEntry {
  let params: unknown = null;
  let redacted: string[] = [];
  try {
    params = JSON.parse(row.params);
    redacted = JSON.parse(row.redacted) as string[];
  } catch {
    // A tampered row may hold anything; the chain verdict says so.
  }
  return {
    seq: Number(row.seq),
    timeMs: Number(row.time_ms),
    actor: { id: row.actor_id, name: row.actor_name, role: row.actor_role, provider: row.actor_provider },
    ip: row.ip,
    userAgent: row.user_agent,
    account: row.account,
    region: row.region,
    keyId: row.key_id,
    action: row.action,
    params,
    redacted,
    outcome: row.outcome,
    errorName: row.error_name,
    errorMessage: row.error_message,
    requestIds: row.request_ids ? row.request_ids.split(' ') : [],
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

// Any 64-bit number, the same for every console instance: the advisory lock that serializes appends.
const APPEND_LOCK = 0x6b64_6175_6469_74n;

/**
 * Appends one entry. Appends are serialized so the chain stays linear: on PostgreSQL by a transaction-
 * scoped advisory lock (several console instances share the database), on SQLite by BEGIN IMMEDIATE (the
 * one writer). The primary key on seq is the last line of defence: a fork would be a duplicate seq.
 */
export async function appendAuditEntry(db: Kysely<Database>, backend: Backend, entry: AuditEntryInput): Promise<AuditEntry> {
  const content = toContent(entry);
  const insert = async (trx: Kysely<Database>): Promise<AuditRow> => {
    const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const prev_hash = last?.hash ?? GENESIS_HASH;
    const seq = Number(last?.seq ?? 0) + 1;
    const row: AuditRow = { seq, ...content, prev_hash, hash: chainHash(prev_hash, content) };
    await trx.insertInto('audit_log').values(row).execute();
    return row;
  };
  let row: AuditRow;
  if (backend === 'postgres') {
    row = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(APPEND_LOCK.toString())}::bigint)`.execute(trx);
      return insert(trx);
    });
  } else {
    row = await db.connection().execute(async (conn) => {
      // IMMEDIATE takes the write lock before reading the last hash, so no other process appends in between.
      await sql`begin immediate`.execute(conn);
      try {
        const inserted = await insert(conn);
        await sql`commit`.execute(conn);
        return inserted;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
  }
  return toEntry(row);
}

export interface AuditFilter {
  /** A user id or name (exact), or `anonymous`. */
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** The key as the entries name it: id, ARN or alias (exact). */
  key?: string;
  /** Epoch milliseconds, inclusive. */
  from?: number;
  to?: number;
  /** Per-account scoping: only entries in these accounts (a scoped user's); undefined for all. */
  accounts?: readonly string[];
}

/** One page of entries, newest first, older than seq `before` when given. */
export async function listAuditEntries(db: Kysely<Database>, filter: AuditFilter, page: { limit: number; before?: number }): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actor) {
    const actor = filter.actor;
    query = query.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
  }
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  if (filter.key) query = query.where('key_id', '=', filter.key);
  if (filter.from !== undefined) query = query.where('time_ms', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('time_ms', '<=', filter.to);
  if (filter.accounts) query = filter.accounts.length > 0 ? query.where('account', 'in', [...filter.accounts]) : query.where(sql<boolean>`1 = 0`);
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  const rows = await query.orderBy('seq', 'desc').limit(page.limit).execute();
  return rows.map(toEntry);
}

/** The distinct action names in the log (for the filter's choices). */
export async function auditActionNames(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}

/** Successful entries of `action` about any of `keyIds`, newest first (the policy history). */
export async function auditEntriesForKey(db: Kysely<Database>, action: string, keyIds: string[], limit = 100): Promise<AuditEntry[]> {
  if (keyIds.length === 0) return [];
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('outcome', '=', 'ok')
    .where('key_id', 'in', keyIds)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

export type ChainBreak = 'edited' | 'deleted' | 'reordered';

export interface BrokenChain {
  ok: false;
  /** Entries verified before the break. */
  entries: number;
  brokenAt: number;
  reason: ChainBreak;
  message: string;
}

export type ChainVerdict = { ok: true; entries: number; headSeq: number; headHash: string } | BrokenChain;

export interface VerifiedPoint {
  seq: number;
  hash: string;
}

/**
 * Walks the chain in seq order, `pageSize` rows at a time (1 M entries never sit in memory), from the
 * start or from an already verified point, and returns ok or the first broken entry and why:
 * - edited: the entry's content no longer matches its hash;
 * - deleted: a seq is missing;
 * - reordered: the entry's previous-hash is not the hash of the entry before it.
 */
export async function verifyAuditChain(db: Kysely<Database>, options: { from?: VerifiedPoint; pageSize?: number } = {}): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 2000;
  let prevSeq = options.from?.seq ?? 0;
  let prevHash = options.from?.hash ?? GENESIS_HASH;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== prevSeq + 1) {
        const missing = prevSeq + 1;
        return { ok: false, entries: prevSeq, brokenAt: missing, reason: 'deleted', message: `entry #${missing} is missing${seq > missing + 1 ? ` (through #${seq - 1})` : ''}: deleted from the log.` };
      }
      if (rowHash(row) !== row.hash) {
        return { ok: false, entries: prevSeq, brokenAt: seq, reason: 'edited', message: `entry #${seq} no longer matches its hash: it was edited after it was written.` };
      }
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          entries: prevSeq,
          brokenAt: seq,
          reason: 'reordered',
          message: `entry #${seq} does not follow entry #${prevSeq}: entries were reordered, or removed and renumbered.`,
        };
      }
      prevSeq = seq;
      prevHash = row.hash;
    }
    if (rows.length < pageSize) return { ok: true, entries: prevSeq, headSeq: prevSeq, headHash: prevHash };
  }
}

/**
 * Cheap checks that a verified prefix is still what it was: its last entry keeps its hash, no entry of
 * it is missing, and the log was not cut short before it. Edits inside the prefix need a full walk.
 */
export async function checkVerifiedPoint(db: Kysely<Database>, point: VerifiedPoint): Promise<BrokenChain | null> {
  const row = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '=', point.seq).executeTakeFirst();
  const { count } = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('seq', '<=', point.seq)
    .executeTakeFirstOrThrow();
  if (!row) return { ok: false, entries: 0, brokenAt: point.seq, reason: 'deleted', message: `entry #${point.seq}, verified earlier, is missing: the log was cut or rewritten.` };
  if (row.hash !== point.hash) return { ok: false, entries: 0, brokenAt: point.seq, reason: 'edited', message: `entry #${point.seq} changed since it was verified.` };
  if (Number(count) !== point.seq) return { ok: false, entries: 0, brokenAt: point.seq, reason: 'deleted', message: `entries before #${point.seq} were deleted since they were verified.` };
  return null;
}
