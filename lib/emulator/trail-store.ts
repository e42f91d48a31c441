/**
 * The emulator's CloudTrail event store: SQLite (better-sqlite3) in the data dir, or in memory, holding
 * 90 days of events — a million and more — in bounded memory. Each LookupEvents attribute is a compact
 * column with an index per lookup path; the record is kept as its JSON text with its repeated parts
 * (the caller's identity, the user agent, the request, the resources) replaced by references to a
 * table of strings, and rebuilt byte for byte on read.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TrailEvent } from './cloudtrail';

/** LookupEvents covers the last 90 days (CloudTrail event history). */
export const RETENTION_MS = 90 * 86_400_000;
/** Events wait at most this long in memory before they are written, in one transaction per batch. */
export const FLUSH_MS = 100;
/** A batch this large is written at once rather than waiting for the timer. */
const FLUSH_EVENTS = 2_000;
/** Record parts interned at most (identities, user agents, requests …); past it, parts stay inline, so memory stays bounded. */
const MAX_PARTS = 50_000;
const PRUNE_EVERY_MS = 3_600_000;

/** What a lookup asks: one account and region, a time range, at most one attribute, and where the last page stopped. */
export interface TrailQuery {
  account: string;
  region: string;
  start: number;
  end: number;
  attribute?: { key: string; value: string };
  /** The (time, seq) of the last event returned: the next page starts just older than it. */
  after?: { time: number; seq: number };
  limit: number;
}

export interface StoredEvent extends TrailEvent {
  /** Insertion order: with the time, the total order of LookupEvents (newest first). */
  seq: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Event ids are UUIDs: 16 bytes instead of 36 characters (and in their index too); anything else is kept as text. */
const packId = (id: string): Buffer | string => (UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : id);
function unpackId(v: Buffer | string): string {
  if (typeof v === 'string') return v;
  const h = v.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** CloudTrail's eventTime for an epoch-ms time: whole seconds, UTC. */
export const eventTimeOf = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z';

// Markers in a stored body. JSON text never holds a raw control character, so they cannot be confused
// with the record's own characters; a record that somehow holds one is stored verbatim behind \u0000.
const PART = '\u0001'; // PART <base-36 string id> END: a part from the strings table
const END = '\u0002';
const EVENT_ID = '\u0003'; // "eventID":"<the event_id column>"
const EVENT_TIME = '\u0004'; // "eventTime":"<the time column, as CloudTrail writes it>"
const VERBATIM = '\u0000';
const CONTROL = /[\u0000-\u0004]/;
const MARKERS = /\u0001([0-9a-z]+)\u0002|\u0003|\u0004/g;

/** Where a record produced by `kmsEvents` splits into parts that repeat from event to event. */
const ANCHORS = [',"eventTime":"', ',"requestParameters":', ',"requestID":"', ',"eventID":"', ',"readOnly":'];

interface Row {
  seq: number;
  time: number;
  event_id: Buffer | string;
  name: number;
  source: number;
  user: number;
  akid: number;
  ro: number;
  resources: string | null;
  body: string;
  scope: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scopes (id INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, UNIQUE (account, region));
CREATE TABLE IF NOT EXISTS strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE, part INTEGER NOT NULL DEFAULT 0);
-- The strings that are resource names (is_name 1) or types (0) of some event.
CREATE TABLE IF NOT EXISTS resource_values (id INTEGER PRIMARY KEY, is_name INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  scope INTEGER NOT NULL,
  time INTEGER NOT NULL,
  event_id BLOB NOT NULL,
  name INTEGER NOT NULL,
  source INTEGER NOT NULL,
  user INTEGER NOT NULL,
  akid INTEGER NOT NULL,
  ro INTEGER NOT NULL,
  resources TEXT,
  body TEXT NOT NULL
);
-- EventSource has no index of its own: the emulator records kms.amazonaws.com events only, so the time
-- index serves that lookup (filtering by the column), and an unknown source answers at once.
CREATE INDEX IF NOT EXISTS events_by_time ON events (scope, time);
CREATE INDEX IF NOT EXISTS events_by_name ON events (scope, name, time);
CREATE INDEX IF NOT EXISTS events_by_user ON events (scope, user, time);
CREATE INDEX IF NOT EXISTS events_by_access_key ON events (scope, akid, time);
CREATE INDEX IF NOT EXISTS events_by_read_only ON events (scope, ro, time);
CREATE INDEX IF NOT EXISTS events_by_id ON events (event_id);
-- One row per distinct resource name and type of an event: the ResourceName and ResourceType lookups.
CREATE TABLE IF NOT EXISTS event_resources (scope INTEGER NOT NULL, value INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (scope, value, time, seq)) WITHOUT ROWID;
`;

/** The column of each single-valued lookup attribute. */
const COLUMNS: Record<string, { column: 'name' | 'source' | 'user' | 'akid'; index: string }> = {
  EventName: { column: 'name', index: 'INDEXED BY events_by_name' },
  EventSource: { column: 'source', index: 'INDEXED BY events_by_time' },
  Username: { column: 'user', index: 'INDEXED BY events_by_user' },
  AccessKeyId: { column: 'akid', index: 'INDEXED BY events_by_access_key' },
};

/**
 * What the emulator needs of its CloudTrail: this file's TrailStore on the calling thread, or a
 * TrailWriter (trail-writer.ts) that keeps the same store on a thread of its own.
 */
export interface Trail {
  /** Queues events; every later `page` sees them. */
  record(events: TrailEvent[]): void;
  page(q: TrailQuery): StoredEvent[] | Promise<StoredEvent[]>;
  bulk<T>(fn: () => T): T;
  close(): void | Promise<void>;
}

/**
 * Events per account and region, 90 days. Appends are batched: `record` only queues, and the queue is
 * written in one transaction every FLUSH_MS (or at once when large, or before any read). Not fsynced
 * (WAL, synchronous=NORMAL): CloudTrail itself delivers events minutes late, so a crash may lose the
 * last fraction of a second of events, never the store.
 */
export class TrailStore implements Trail {
  private readonly db: Database.Database;
  private readonly strings = new Map<string, number>();
  private readonly byId: string[] = [];
  private parts = 0;
  /** Ids of strings that are resource names, for the ResourceName lookup's "ARN or its last segment". */
  private readonly resourceNames = new Set<number>();
  /** Ids of strings that are resource names or types (the values of event_resources). */
  private readonly resourceValues = new Set<number>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly scopes = new Map<string, number>();
  private pending: TrailEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private prunedAt = 0;
  /** The indexes `beginBulk` dropped, to build again at `endBulk`. */
  private droppedIndexes: string[] | undefined;
  private readonly insertEvent: Database.Statement;
  private readonly insertResource: Database.Statement;
  private readonly insertString: Database.Statement;
  private readonly insertScope: Database.Statement;
  private readonly insertResourceValue: Database.Statement;
  private readonly writeBatch: (events: TrailEvent[]) => void;
  /** The size of the data dir's store file, for the benchmark; 0 in memory. */
  readonly file: string | undefined;

  constructor(
    dir: string | undefined,
    private readonly now: () => number,
  ) {
    this.file = dir ? path.join(dir, 'cloudtrail.sqlite') : undefined;
    if (dir) fs.mkdirSync(dir, { recursive: true });
    this.db = new Database(this.file ?? ':memory:');
    if (this.file) {
      fs.chmodSync(this.file, 0o600);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    // A bounded page cache (32 MB): the store's memory does not grow with its size.
    this.db.pragma('cache_size = -32000');
    this.db.exec(SCHEMA);
    for (const row of this.db.prepare('SELECT id, value, part FROM strings').all() as { id: number; value: string; part: number }[]) {
      this.strings.set(row.value, row.id);
      this.byId[row.id] = row.value;
      if (row.part) this.parts++;
    }
    for (const row of this.db.prepare('SELECT id, is_name FROM resource_values').all() as { id: number; is_name: number }[]) {
      this.resourceValues.add(row.id);
      if (row.is_name) this.resourceNames.add(row.id);
    }
    for (const row of this.db.prepare('SELECT id, account, region FROM scopes').all() as { id: number; account: string; region: string }[]) this.scopes.set(`${row.account}/${row.region}`, row.id);
    this.insertEvent = this.db.prepare('INSERT INTO events (scope, time, event_id, name, source, user, akid, ro, resources, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertResource = this.db.prepare('INSERT OR IGNORE INTO event_resources (scope, value, time, seq) VALUES (?, ?, ?, ?)');
    this.insertString = this.db.prepare('INSERT INTO strings (id, value, part) VALUES (?, ?, ?)');
    this.insertScope = this.db.prepare('INSERT INTO scopes (account, region) VALUES (?, ?)');
    this.insertResourceValue = this.db.prepare('INSERT INTO resource_values (id, is_name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET is_name = max(is_name, excluded.is_name)');
    this.writeBatch = this.db.transaction((events: TrailEvent[]) => {
      for (const e of events) this.write(e);
    });
    if (dir) this.importJsonl(dir);
    this.prune();
  }

  /** Queues events; they are written within FLUSH_MS, and are visible to every read at once. */
  record(events: TrailEvent[]): void {
    for (const e of events) this.pending.push(e);
    if (this.pending.length >= FLUSH_EVENTS) this.flush();
    else if (!this.timer && this.pending.length > 0) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    this.writeBatch(batch);
    if (this.now() - this.prunedAt > PRUNE_EVERY_MS) this.prune();
  }

  /**
   * Runs `fn` (which records many events, such as the demo history) with the events table's secondary
   * indexes dropped, and builds them again after: one sort per index instead of a million index inserts.
   * A crash in between loses nothing: opening the store creates missing indexes.
   */
  bulk<T>(fn: () => T): T {
    this.beginBulk();
    try {
      return fn();
    } finally {
      this.endBulk();
    }
  }

  /** The first half of `bulk`, for a caller that cannot pass a function (the trail's writer thread gets a message each). */
  beginBulk(): void {
    this.flush();
    if (this.droppedIndexes) return;
    const indexes = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
    for (const { name } of indexes) this.db.exec(`DROP INDEX ${name}`);
    this.statements.clear(); // their plans named the dropped indexes
    this.droppedIndexes = indexes.map((i) => i.sql);
  }

  endBulk(): void {
    this.flush();
    for (const sql of this.droppedIndexes ?? []) this.db.exec(sql);
    this.droppedIndexes = undefined;
  }

  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }

  /** Events stored, all accounts and regions (after a flush). */
  count(): number {
    this.flush();
    return (this.db.prepare('SELECT count(*) FROM events').pluck().get() as number) ?? 0;
  }

  /** Bytes the store takes on disk (database and write-ahead log), after a checkpoint. */
  bytesOnDisk(): number {
    if (!this.file) return 0;
    this.flush();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    return size(this.file) + size(`${this.file}-wal`);
  }

  /** One page of events, newest first: (time, seq) descending, older than `after`. */
  page(q: TrailQuery): StoredEvent[] {
    this.flush();
    const scope = this.scopes.get(`${q.account}/${q.region}`);
    if (scope === undefined) return [];
    // With a cursor, the range ends at its time, and at that very millisecond only older rows (lower seq) count.
    const end = q.after ? Math.min(q.end, q.after.time) : q.end;
    if (end < q.start) return [];
    const range = 'time >= ? AND time <= ? AND (time < ? OR seq < ?)';
    // Without a cursor, `time < end + 1` holds for every row in range.
    const bounds = [q.start, end, q.after ? q.after.time : end + 1, q.after ? q.after.seq : 0];
    const select = 'SELECT seq, scope, time, event_id, name, source, user, akid, ro, resources, body FROM events';
    let rows: Row[];
    // Each lookup names its index: left to itself, the planner (no statistics) walks the time index for the
    // ORDER BY and filters, which costs seconds for a rare value among a million events.
    const key = q.attribute?.key;
    const value = q.attribute?.value ?? '';
    if (!key) {
      rows = this.statement(`${select} WHERE scope = ? AND ${range} ORDER BY time DESC, seq DESC LIMIT ?`).all(scope, ...bounds, q.limit) as Row[];
    } else if (key === 'EventId') {
      // Without the hint the planner would walk the time index for its order; one id has one or a few rows.
      rows = this.statement(`${select} INDEXED BY events_by_id WHERE event_id = ? AND scope = ? AND ${range} ORDER BY time DESC, seq DESC LIMIT ?`).all(packId(value), scope, ...bounds, q.limit) as Row[];
    } else if (key === 'ReadOnly') {
      // Only the exact strings 'true' and 'false' match, as String(readOnly) compares.
      if (value !== 'true' && value !== 'false') return [];
      rows = this.statement(`${select} INDEXED BY events_by_read_only WHERE scope = ? AND ro = ? AND ${range} ORDER BY time DESC, seq DESC LIMIT ?`).all(scope, value === 'true' ? 1 : 0, ...bounds, q.limit) as Row[];
    } else if (key in COLUMNS) {
      const id = this.strings.get(value);
      if (id === undefined) return [];
      const { column, index } = COLUMNS[key];
      rows = this.statement(`${select} ${index} WHERE scope = ? AND ${column} = ? AND ${range} ORDER BY time DESC, seq DESC LIMIT ?`).all(scope, id, ...bounds, q.limit) as Row[];
    } else {
      // ResourceType: the type itself; ResourceName: the ARN, or a name its last path segment equals (a key id).
      const ids = key === 'ResourceType' ? [this.strings.get(value)].filter((id): id is number => id !== undefined) : this.resourceNameIds(value);
      if (ids.length === 0) return [];
      const inner =
        `SELECT seq FROM event_resources WHERE scope = ? AND value IN (${ids.map(() => '?').join(',')}) AND ${range}` +
        (ids.length > 1 ? ' GROUP BY seq' : '') +
        ' ORDER BY time DESC, seq DESC LIMIT ?';
      rows = this.statement(`${select} WHERE seq IN (${inner}) ORDER BY time DESC, seq DESC`).all(scope, ...ids, ...bounds, q.limit) as Row[];
    }
    return rows.map((row) => this.toEvent(row, q.account, q.region));
  }

  /** Prepared once per distinct SQL text (a handful: one per lookup path, and per IN-list length). */
  private statement(sqlText: string): Database.Statement {
    let statement = this.statements.get(sqlText);
    if (!statement) {
      statement = this.db.prepare(sqlText);
      if (this.statements.size < 100) this.statements.set(sqlText, statement);
    }
    return statement;
  }

  private resourceNameIds(value: string): number[] {
    const ids: number[] = [];
    const suffix = `/${value}`;
    for (const id of this.resourceNames) {
      const name = this.byId[id];
      if (name === value || name.endsWith(suffix)) ids.push(id);
    }
    return ids;
  }

  private toEvent(row: Row, account: string, region: string): StoredEvent {
    const eventId = unpackId(row.event_id);
    const resources: TrailEvent['resources'] = [];
    if (row.resources) {
      for (const pair of row.resources.split(',')) {
        const [type, name] = pair.split(':');
        resources.push({ ResourceType: this.byId[Number(type)], ResourceName: this.byId[Number(name)] });
      }
    }
    return {
      seq: row.seq,
      account,
      region,
      time: row.time,
      eventId,
      eventName: this.byId[row.name],
      eventSource: this.byId[row.source],
      readOnly: row.ro === 1,
      accessKeyId: this.byId[row.akid],
      username: this.byId[row.user],
      resources,
      json: this.expand(row.body, eventId, row.time),
    };
  }

  private expand(body: string, eventId: string, time: number): string {
    if (body.startsWith(VERBATIM)) return body.slice(1);
    return body.replace(MARKERS, (marker, id: string | undefined) => {
      if (id !== undefined) return this.byId[parseInt(id, 36)];
      return marker === EVENT_ID ? `"eventID":${JSON.stringify(eventId)}` : `"eventTime":"${eventTimeOf(time)}"`;
    });
  }

  private intern(value: string, part = false): number {
    let id = this.strings.get(value);
    if (id === undefined) {
      id = this.byId.length;
      this.insertString.run(id, value, part ? 1 : 0);
      this.strings.set(value, id);
      this.byId[id] = value;
      if (part) this.parts++;
    }
    return id;
  }

  private scope(account: string, region: string): number {
    const key = `${account}/${region}`;
    let id = this.scopes.get(key);
    if (id === undefined) {
      id = Number(this.insertScope.run(account, region).lastInsertRowid);
      this.scopes.set(key, id);
    }
    return id;
  }

  /** The record with its repeated parts replaced by references; `expand` rebuilds it exactly. */
  private compact(json: string, eventId: string, time: number): string {
    if (CONTROL.test(json)) return VERBATIM + json;
    // Split at the anchors, in order; wherever they fall, the pieces concatenate back to the record.
    const cuts: number[] = [];
    let from = 0;
    for (const anchor of ANCHORS) {
      const at = json.indexOf(anchor, from);
      if (at < 0) break;
      cuts.push(at);
      from = at + anchor.length;
    }
    if (cuts.length < ANCHORS.length) return this.substitute(json, eventId, time);
    // pieces: identity head | ,"eventTime":… source, name, region, IP, agent, error | ,"requestParameters":… | ,"requestID":… | ,"eventID":… | ,"readOnly":… tail
    const [t, p, r, i, ro] = cuts;
    const timeText = `,"eventTime":"${eventTimeOf(time)}"`;
    const timeEnd = t + timeText.length;
    const sameTime = json.startsWith(timeText, t);
    const idText = `,"eventID":${JSON.stringify(eventId)}`;
    const sameId = json.startsWith(idText, i) && i + idText.length === ro;
    return (
      this.ref(json.slice(0, t)) +
      (sameTime ? `,${EVENT_TIME}${this.ref(json.slice(timeEnd, p))}` : this.ref(json.slice(t, p))) +
      this.ref(json.slice(p, r)) +
      json.slice(r, i) +
      (sameId ? `,${EVENT_ID}` : json.slice(i, ro)) +
      this.ref(json.slice(ro))
    );
  }

  /** A part as a reference when it is worth one and the table has room; else the text itself. */
  private ref(piece: string): string {
    if (piece.length < 12) return piece;
    const known = this.strings.get(piece);
    if (known !== undefined) return `${PART}${known.toString(36)}${END}`;
    if (this.parts >= MAX_PARTS) return piece;
    return `${PART}${this.intern(piece, true).toString(36)}${END}`;
  }

  /** A record of another shape: only the event id and time are taken out. */
  private substitute(json: string, eventId: string, time: number): string {
    return json.replace(`"eventID":${JSON.stringify(eventId)}`, EVENT_ID).replace(`"eventTime":"${eventTimeOf(time)}"`, EVENT_TIME);
  }

  private write(e: TrailEvent): void {
    const scope = this.scope(e.account, e.region);
    let resources: string | null = null;
    const values: number[] = [];
    for (const r of e.resources) {
      const type = this.resourceValue(r.ResourceType, false);
      const name = this.resourceValue(r.ResourceName, true);
      resources = (resources === null ? '' : `${resources},`) + `${type}:${name}`;
      if (!values.includes(type)) values.push(type);
      if (!values.includes(name)) values.push(name);
    }
    const body = this.compact(e.json, e.eventId, e.time);
    const { lastInsertRowid } = this.insertEvent.run(
      scope,
      e.time,
      packId(e.eventId),
      this.intern(e.eventName),
      this.intern(e.eventSource),
      this.intern(e.username),
      this.intern(e.accessKeyId),
      e.readOnly ? 1 : 0,
      resources,
      body,
    );
    for (const value of values) this.insertResource.run(scope, value, e.time, lastInsertRowid);
  }

  private resourceValue(value: string, isName: boolean): number {
    const id = this.intern(value);
    if (!(isName ? this.resourceNames : this.resourceValues).has(id)) {
      this.insertResourceValue.run(id, isName ? 1 : 0);
      this.resourceValues.add(id);
      if (isName) this.resourceNames.add(id);
    }
    return id;
  }

  /** Drops events older than the 90 days LookupEvents covers (each delete walks an index range). */
  private prune(): void {
    this.prunedAt = this.now();
    const before = this.prunedAt - RETENTION_MS;
    const events = this.db.prepare('DELETE FROM events WHERE scope = ? AND time < ?');
    const resources = this.db.prepare('DELETE FROM event_resources WHERE scope = ? AND value = ? AND time < ?');
    this.db.transaction(() => {
      for (const scope of this.scopes.values()) {
        events.run(scope, before);
        for (const value of this.resourceValues) resources.run(scope, value, before);
      }
    })();
  }

  /**
   * The JSON-lines store of earlier versions (cloudtrail.jsonl): read once into this store, in one
   * transaction that also notes it was done, then removed.
   */
  private importJsonl(dir: string): void {
    const file = path.join(dir, 'cloudtrail.jsonl');
    if (!fs.existsSync(file)) return;
    const done = this.db.prepare("SELECT v FROM meta WHERE k = 'jsonl-imported'").pluck().get();
    if (!done) {
      const cutoff = this.now() - RETENTION_MS;
      const events: TrailEvent[] = [];
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const event = parseJsonlLine(line);
          if (event.time >= cutoff) events.push(event);
        } catch {
          // a torn last line after a crash: that event is lost, as an undelivered CloudTrail event would be
        }
      }
      this.db.transaction(() => {
        for (const e of events) this.write(e);
        this.db.prepare("INSERT INTO meta (k, v) VALUES ('jsonl-imported', ?)").run(String(events.length));
      })();
    }
    fs.rmSync(file, { force: true });
  }
}

/**
 * One line of the earlier cloudtrail.jsonl: the lookup attributes as JSON, a tab, then the record's JSON;
 * or, older still, one JSON object with the record as a string member.
 */
export function parseJsonlLine(line: string): TrailEvent {
  const tab = line.indexOf('\t');
  if (tab < 0) return JSON.parse(line) as TrailEvent;
  return { ...(JSON.parse(line.slice(0, tab)) as Omit<TrailEvent, 'json'>), json: line.slice(tab + 1) };
}
