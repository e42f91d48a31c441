/**
 * Opens Keydeck's store: an embedded SQLite file under the data dir by default, or the PostgreSQL
 * database of `KEYDECK_DATABASE_URL` (shared by several console instances). Either way through Kysely,
 * with the migrations applied before the store is handed out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely';
import type { Database } from './schema';
import { migrations } from './migrations';

export type Backend = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  backend: Backend;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Keydeck's data dir; the SQLite file is `<dataDir>/keydeck.sqlite`. */
  dataDir: string;
  /** A `postgres://` or `postgresql://` URL; when set, the store lives there instead. */
  databaseUrl?: string;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The URL with its password masked, for messages and the settings page. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export async function openStore({ dataDir, databaseUrl }: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  let backend: Backend;
  let location: string;
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('KEYDECK_DATABASE_URL must be a postgres:// or postgresql:// URL.');
    const { default: pg } = await import('pg');
    // int8 and numeric (counts, sums) come back as strings by default; ours stay far below 2^53.
    const types = {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 || oid === 1700 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    };
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 8, types });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    backend = 'postgres';
    location = redactUrl(databaseUrl);
  } else {
    const { default: SQLite } = await import('better-sqlite3');
    fs.mkdirSync(dataDir, { recursive: true });
    location = path.join(dataDir, 'keydeck.sqlite');
    const sqlite = new SQLite(location);
    // WAL with synchronous=NORMAL: durable across a crash of the process (kill -9), readers never block
    // the writer, and several processes may open the file (busy_timeout makes them wait their turn).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    backend = 'sqlite';
  }
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Migrating the Keydeck store at ${location} failed${failed ? ` in ${failed}` : ''}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let closed = false;
  return {
    db,
    backend,
    location,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
