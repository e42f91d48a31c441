import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, redactUrl } from './open';
import { testBackends } from './test-support';

describe.each(testBackends)('the store on $name', (backend) => {
  it('migrates a new database and keeps what was written across a reopen of the same data', async () => {
    const store = await backend.open();
    try {
      expect(store.backend).toBe(backend.name);
      await store.db.insertInto('settings').values({ name: 'usage.retentionDays', value: '90' }).execute();
      // Upserts use the portable ON CONFLICT form on both backends.
      await store.db
        .insertInto('settings')
        .values({ name: 'usage.retentionDays', value: '30' })
        .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
      const row = await store.db.selectFrom('settings').selectAll().where('name', '=', 'usage.retentionDays').executeTakeFirstOrThrow();
      expect(row.value).toBe('30');
    } finally {
      await store.close();
    }
  });

  it('returns integer sums as numbers, not strings', async () => {
    const store = await backend.open();
    try {
      await store.db
        .insertInto('usage_seconds')
        .values([
          { second: 1_800_000_000, account: 'a', region: 'r', quota_class: 'symmetric', calls: 4_000_000_000 },
          { second: 1_800_000_001, account: 'a', region: 'r', quota_class: 'symmetric', calls: 5 },
        ])
        .execute();
      const { total, latest } = await store.db
        .selectFrom('usage_seconds')
        .select((eb) => [eb.fn.sum<number>('calls').as('total'), eb.fn.max('second').as('latest')])
        .executeTakeFirstOrThrow();
      expect(total).toBe(4_000_000_005);
      expect(latest).toBe(1_800_000_001);
      const { n } = await sql<{ n: number }>`select count(*) as n from usage_seconds`.execute(store.db).then((r) => r.rows[0]);
      expect(Number(n)).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe('the embedded store', () => {
  it('lives in <dataDir>/keydeck.sqlite and migrates only once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-store-'));
    try {
      const first = await openStore({ dataDir: dir });
      await first.db.insertInto('settings').values({ name: 'x', value: '1' }).execute();
      await first.close();
      await first.close(); // closing twice is harmless
      expect(fs.existsSync(path.join(dir, 'keydeck.sqlite'))).toBe(true);
      const second = await openStore({ dataDir: dir });
      expect((await second.db.selectFrom('settings').select('value').executeTakeFirstOrThrow()).value).toBe('1');
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database URL that is not PostgreSQL, and never shows a password', async () => {
    await expect(openStore({ dataDir: os.tmpdir(), databaseUrl: 'mysql://u:p@h/db' })).rejects.toThrow('postgres://');
    expect(redactUrl('postgres://keydeck:hunter2@db.internal:5432/keydeck')).toBe('postgres://keydeck:***@db.internal:5432/keydeck');
  });
});
