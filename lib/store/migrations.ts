/**
 * The store's migrations, in order of their names. Each runs once per database, on SQLite and on
 * PostgreSQL alike, so they use Kysely's schema builder with portable types only.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely';

// Migrations take Kysely<unknown>: they describe the schema of their own day, not today's interfaces.
export const migrations: Record<string, Migration> = {
  '2026-11-23-001-usage': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('usage_events')
        .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('account', 'varchar(32)', (c) => c.notNull())
        .addColumn('region', 'varchar(32)', (c) => c.notNull())
        .addColumn('key_arn', 'varchar(2048)', (c) => c.notNull())
        .addColumn('event_name', 'varchar(128)', (c) => c.notNull())
        .addColumn('principal', 'varchar(2048)', (c) => c.notNull())
        .addColumn('error_code', 'varchar(128)', (c) => c.notNull())
        .addColumn('user_agent_family', 'varchar(64)', (c) => c.notNull())
        .addColumn('request_class', 'varchar(16)', (c) => c.notNull())
        .addColumn('json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('usage_events_scope_time').on('usage_events').columns(['account', 'region', 'time']).execute();
      await db.schema
        .createTable('usage_rollups')
        .addColumn('hour', 'bigint', (c) => c.notNull())
        .addColumn('account', 'varchar(32)', (c) => c.notNull())
        .addColumn('region', 'varchar(32)', (c) => c.notNull())
        .addColumn('key_arn', 'varchar(2048)', (c) => c.notNull())
        .addColumn('event_name', 'varchar(128)', (c) => c.notNull())
        .addColumn('principal', 'varchar(2048)', (c) => c.notNull())
        .addColumn('error_code', 'varchar(128)', (c) => c.notNull())
        .addColumn('user_agent_family', 'varchar(64)', (c) => c.notNull())
        .addColumn('request_class', 'varchar(16)', (c) => c.notNull())
        .addColumn('calls', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_rollups_pk', ['account', 'region', 'hour', 'key_arn', 'event_name', 'principal', 'error_code', 'user_agent_family', 'request_class'])
        .execute();
      await db.schema
        .createTable('usage_seconds')
        .addColumn('second', 'bigint', (c) => c.notNull())
        .addColumn('account', 'varchar(32)', (c) => c.notNull())
        .addColumn('region', 'varchar(32)', (c) => c.notNull())
        .addColumn('quota_class', 'varchar(32)', (c) => c.notNull())
        .addColumn('calls', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_seconds_pk', ['account', 'region', 'quota_class', 'second'])
        .execute();
      await db.schema
        .createTable('usage_peaks')
        .addColumn('hour', 'bigint', (c) => c.notNull())
        .addColumn('account', 'varchar(32)', (c) => c.notNull())
        .addColumn('region', 'varchar(32)', (c) => c.notNull())
        .addColumn('quota_class', 'varchar(32)', (c) => c.notNull())
        .addColumn('peak', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_peaks_pk', ['account', 'region', 'quota_class', 'hour'])
        .execute();
      await db.schema
        .createTable('usage_checkpoints')
        .addColumn('account', 'varchar(32)', (c) => c.notNull())
        .addColumn('region', 'varchar(32)', (c) => c.notNull())
        .addColumn('newest_time', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('newest_id', 'varchar(64)', (c) => c.notNull().defaultTo(''))
        .addColumn('run_start', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('run_end', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('run_cursor_time', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('run_pages', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('run_events', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_sync_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('usage_checkpoints_pk', ['account', 'region'])
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['settings', 'usage_checkpoints', 'usage_peaks', 'usage_seconds', 'usage_rollups', 'usage_events']) {
        await sql`drop table ${sql.table(table)}`.execute(db);
      }
    },
  },
  '2026-11-23-010-auth': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('auth_users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('provider', 'varchar(16)', (c) => c.notNull())
        .addColumn('subject', 'varchar(512)', (c) => c.notNull())
        .addColumn('name', 'varchar(256)', (c) => c.notNull())
        .addColumn('email', 'varchar(320)', (c) => c.notNull().defaultTo(''))
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('accounts', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('password_hash', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('auth_users_identity', ['provider', 'subject'])
        .execute();
      await db.schema
        .createTable('auth_sessions')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull().defaultTo(''))
        .addColumn('user_agent', 'varchar(512)', (c) => c.notNull().defaultTo(''))
        .addColumn('revoked_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('auth_sessions_user').on('auth_sessions').column('user_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table auth_sessions`.execute(db);
      await sql`drop table auth_users`.execute(db);
    },
  },
  '2026-11-23-070-learn': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('learn_progress')
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('scenario', 'varchar(64)', (c) => c.notNull())
        .addColumn('step', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('keys', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('learn_progress_pk', ['user_id', 'scenario', 'step'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table learn_progress`.execute(db);
    },
  },
};
