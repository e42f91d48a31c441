/**
 * The store's migrations, in order of their names. Each runs once per database, on SQLite and on
 * PostgreSQL alike, so they use Kysely's schema builder with portable types only.
 */
import { sql, type Kysely } from 'kysely';
import type { CreateTableBuilder, Migration } from 'kysely';

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
  '2026-11-23-020-audit-log': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('actor_name', 'varchar(256)', (c) => c.notNull())
        .addColumn('actor_role', 'varchar(16)', (c) => c.notNull())
        .addColumn('actor_provider', 'varchar(16)', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_agent', 'varchar(512)', (c) => c.notNull())
        .addColumn('account', 'varchar(64)', (c) => c.notNull())
        .addColumn('region', 'varchar(32)', (c) => c.notNull())
        .addColumn('key_id', 'varchar(2048)', (c) => c.notNull())
        .addColumn('action', 'varchar(128)', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('redacted', 'text', (c) => c.notNull())
        .addColumn('outcome', 'varchar(8)', (c) => c.notNull())
        .addColumn('error_name', 'varchar(128)', (c) => c.notNull())
        .addColumn('error_message', 'text', (c) => c.notNull())
        .addColumn('request_ids', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      // Filters walk newest first by seq; each index ends with seq so a page is an index range.
      for (const column of ['action', 'key_id', 'actor_id', 'outcome', 'time_ms']) {
        await db.schema.createIndex(`audit_log_${column}`).on('audit_log').columns([column, 'seq']).execute();
      }
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table audit_log`.execute(db);
    },
  },
  '2026-11-23-030-usage-narrow-rollups': {
    // The hourly roll-up keyed by every dimension at once had nearly a row per event, so charts over it
    // were as slow as over the raw events. Instead: per dimension a table by hour (short ranges and the
    // partial days at a range's ends) and one by day, each keyed by that one dimension plus account,
    // region and whether Keydeck itself made the call. They are back-filled from the old roll-up (which
    // covers the roll-up retention, longer than the raw events'), which then goes. Combined filters
    // (a key AND an error …) read the raw events through the indexes added here.
    async up(db: Kysely<unknown>) {
      const dims: [string, string[]][] = [
        ['ops', ['event_name']],
        ['keys', ['key_arn', 'request_class']],
        ['callers', ['principal']],
        ['errors', ['error_code']],
        ['agents', ['user_agent_family']],
      ];
      const widths: Record<string, string> = { event_name: 'varchar(128)', key_arn: 'varchar(2048)', request_class: 'varchar(16)', principal: 'varchar(2048)', error_code: 'varchar(128)', user_agent_family: 'varchar(64)' };
      for (const [grain, size] of [['hourly', 3600], ['daily', 86_400]] as const) {
        for (const [dim, columns] of dims) {
          const table = `usage_${grain}_${dim}`;
          let t: CreateTableBuilder<string, string> = db.schema
            .createTable(table)
            .addColumn('account', 'varchar(32)', (c) => c.notNull())
            .addColumn('region', 'varchar(32)', (c) => c.notNull())
            .addColumn('bucket', 'bigint', (c) => c.notNull())
            .addColumn('keydeck', 'integer', (c) => c.notNull());
          for (const column of columns) t = t.addColumn(column, sql.raw(widths[column]), (c) => c.notNull());
          await t
            .addColumn('calls', 'bigint', (c) => c.notNull())
            .addColumn('errors', 'bigint', (c) => c.notNull())
            .addPrimaryKeyConstraint(`${table}_pk`, ['account', 'region', 'bucket', 'keydeck', ...columns])
            .execute();
          const bucket = sql`(hour / ${sql.lit(size)}) * ${sql.lit(size)}`;
          const keydeck = sql`case when user_agent_family = 'keydeck' then 1 else 0 end`;
          const cols = sql.join(columns.map((c) => sql.ref(c)));
          await sql`
            insert into ${sql.table(table)} (account, region, bucket, keydeck, ${cols}, calls, errors)
            select account, region, ${bucket}, ${keydeck}, ${cols}, sum(calls), sum(case when error_code <> '' then calls else 0 end)
            from usage_rollups
            ${dim === 'errors' ? sql`where error_code <> ''` : sql``}
            group by account, region, ${bucket}, ${keydeck}, ${cols}`.execute(db);
        }
      }
      await db.schema.dropTable('usage_rollups').execute();
      // Covering for a key's charts (by operation, caller, error, user agent): the key detail's Usage tab
      // and a click on a top key read only this index, not the ~1 KB rows.
      await db.schema
        .createIndex('usage_events_scope_key_time')
        .on('usage_events')
        .columns(['account', 'region', 'key_arn', 'time', 'event_name', 'error_code', 'user_agent_family', 'principal'])
        .execute();
      await db.schema.createIndex('usage_events_scope_principal_time').on('usage_events').columns(['account', 'region', 'principal', 'time']).execute();
      await db.schema.createIndex('usage_events_scope_error_time').on('usage_events').columns(['account', 'region', 'error_code', 'time']).execute();
    },
    // Back to the wide roll-up's schema (empty: its rows cannot be rebuilt from the narrow ones).
    async down(db: Kysely<unknown>) {
      for (const index of ['usage_events_scope_key_time', 'usage_events_scope_principal_time', 'usage_events_scope_error_time']) {
        await db.schema.dropIndex(index).execute();
      }
      for (const grain of ['hourly', 'daily']) {
        for (const dim of ['ops', 'keys', 'callers', 'errors', 'agents']) await db.schema.dropTable(`usage_${grain}_${dim}`).execute();
      }
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
  '2026-12-04-040-usage-billed-rollups': {
    // The cost chart, month to date and forecast read billed calls per day and request class, with the key
    // only where it sets the price (asymmetric calls). From the keys roll-up that meant every key's row of
    // every day back to the first of a month; these tables hold a few rows a day instead. Back-filled from
    // the keys roll-ups (same retention), maintained at ingest like them.
    async up(db: Kysely<unknown>) {
      for (const grain of ['hourly', 'daily']) {
        const table = `usage_${grain}_billed`;
        await db.schema
          .createTable(table)
          .addColumn('account', 'varchar(32)', (c) => c.notNull())
          .addColumn('region', 'varchar(32)', (c) => c.notNull())
          .addColumn('bucket', 'bigint', (c) => c.notNull())
          .addColumn('request_class', 'varchar(16)', (c) => c.notNull())
          .addColumn('key_arn', 'varchar(2048)', (c) => c.notNull())
          .addColumn('calls', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['account', 'region', 'bucket', 'request_class', 'key_arn'])
          .execute();
        const key = sql`case when request_class = 'asymmetric' then key_arn else '' end`;
        await sql`
          insert into ${sql.table(table)} (account, region, bucket, request_class, key_arn, calls)
          select account, region, bucket, request_class, ${key}, sum(calls - errors)
          from ${sql.table(`usage_${grain}_keys`)}
          where calls > errors
          group by account, region, bucket, request_class, ${key}`.execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      for (const grain of ['hourly', 'daily']) await db.schema.dropTable(`usage_${grain}_billed`).execute();
    },
  },
  '2026-12-04-041-usage-covering-indexes': {
    // A click on a caller, an error or an operation filters the page, and the charts of the other
    // dimensions then read that slice of the raw events. These indexes hold every column those charts
    // group by, so they read the index alone and never the ~1 KB rows (the key's index already did). The
    // error index keeps refused calls only (a tenth of them, or less): queries on it say error_code <> ''.
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('usage_events_scope_principal_time').execute();
      await db.schema.dropIndex('usage_events_scope_error_time').execute();
      await db.schema
        .createIndex('usage_events_scope_principal_cover')
        .on('usage_events')
        .columns(['account', 'region', 'principal', 'time', 'event_name', 'error_code', 'user_agent_family', 'key_arn'])
        .execute();
      await db.schema
        .createIndex('usage_events_scope_error_cover')
        .on('usage_events')
        .columns(['account', 'region', 'error_code', 'time', 'event_name', 'user_agent_family', 'key_arn', 'principal'])
        .where(sql.ref('error_code'), '<>', '')
        .execute();
      await db.schema
        .createIndex('usage_events_scope_operation_cover')
        .on('usage_events')
        .columns(['account', 'region', 'event_name', 'time', 'error_code', 'user_agent_family', 'key_arn', 'principal'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const index of ['usage_events_scope_principal_cover', 'usage_events_scope_error_cover', 'usage_events_scope_operation_cover']) {
        await db.schema.dropIndex(index).execute();
      }
      await db.schema.createIndex('usage_events_scope_principal_time').on('usage_events').columns(['account', 'region', 'principal', 'time']).execute();
      await db.schema.createIndex('usage_events_scope_error_time').on('usage_events').columns(['account', 'region', 'error_code', 'time']).execute();
    },
  },
  '2026-12-04-050-usage-billed-by-api-and-caller': {
    // The cost per API and per caller: successful calls per bucket, operation (or caller), request class and
    // the key where it sets the price, like usage_*_billed. Filled from the raw events still kept (older
    // roll-ups hold no request class, so the months before the raw retention have no cost per API or caller).
    async up(db: Kysely<unknown>) {
      for (const [by, column, size] of [
        ['ops', 'event_name', 128],
        ['callers', 'principal', 2048],
      ] as const) {
        for (const [grain, seconds] of [
          ['hourly', 3600],
          ['daily', 86_400],
        ] as const) {
          const table = `usage_${grain}_billed_${by}`;
          await db.schema
            .createTable(table)
            .addColumn('account', 'varchar(32)', (c) => c.notNull())
            .addColumn('region', 'varchar(32)', (c) => c.notNull())
            .addColumn('bucket', 'bigint', (c) => c.notNull())
            .addColumn(column, `varchar(${size})`, (c) => c.notNull())
            .addColumn('request_class', 'varchar(16)', (c) => c.notNull())
            .addColumn('key_arn', 'varchar(2048)', (c) => c.notNull())
            .addColumn('calls', 'bigint', (c) => c.notNull())
            .addPrimaryKeyConstraint(`${table}_pk`, ['account', 'region', 'bucket', column, 'request_class', 'key_arn'])
            .execute();
          const key = sql`case when request_class = 'asymmetric' then key_arn else '' end`;
          const bucket = sql`(time / ${sql.lit(seconds)}) * ${sql.lit(seconds)}`;
          await sql`
            insert into ${sql.table(table)} (account, region, bucket, ${sql.ref(column)}, request_class, key_arn, calls)
            select account, region, ${bucket}, ${sql.ref(column)}, request_class, ${key}, count(*)
            from usage_events
            where error_code = ''
            group by account, region, ${bucket}, ${sql.ref(column)}, request_class, ${key}`.execute(db);
        }
      }
    },
    async down(db: Kysely<unknown>) {
      for (const by of ['ops', 'callers']) for (const grain of ['hourly', 'daily']) await db.schema.dropTable(`usage_${grain}_billed_${by}`).execute();
    },
  },
};
