import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '@/lib/store';
import { testBackends } from '@/lib/store/test-support';
import { ANONYMOUS, appendAuditEntry, auditEntriesForKey, checkVerifiedPoint, listAuditEntries, verifyAuditChain, type AuditEntryInput } from './log';

const T0 = 1_795_000_000_000;

function entry(i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    timeMs: T0 + i,
    actor: i % 2 ? { id: 'u1', name: 'Alice', role: 'admin', provider: 'local' } : ANONYMOUS,
    ip: '203.0.113.7',
    userAgent: 'test-browser',
    account: '111122223333',
    region: 'us-east-1',
    keyId: `key-${i % 3}`,
    action: i % 2 ? 'SetKeyEnabled' : 'PutKeyPolicy',
    params: { keyId: `key-${i % 3}`, n: i },
    redacted: [],
    outcome: i % 5 === 0 ? 'error' : 'ok',
    errorName: i % 5 === 0 ? 'NotFoundException' : '',
    errorMessage: i % 5 === 0 ? 'Key not found' : '',
    requestIds: [`req-${i}`],
    ...overrides,
  };
}

describe.each(testBackends)('the audit log on $name', (backend) => {
  it('chains concurrent appends linearly, and the chain verifies', async () => {
    const store = await backend.open();
    // PostgreSQL: a second pool on the same database stands for a second console instance, and both
    // pools' connections (8 each) race for the append lock. SQLite: one connection per process; other
    // processes wait on BEGIN IMMEDIATE.
    const other = store.backend === 'postgres' ? await openStore({ dataDir: os.tmpdir(), databaseUrl: store.location }) : store;
    try {
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => appendAuditEntry((i % 2 ? other : store).db, store.backend, entry(i + 1))));
      expect(new Set(results.map((r) => r.seq)).size).toBe(60);
      const rows = await store.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
      expect(await verifyAuditChain(store.db, { pageSize: 7 })).toEqual({ ok: true, entries: 60, headSeq: 60, headHash: rows[59].hash });
    } finally {
      if (other !== store) await other.close();
      await store.close();
    }
  });

  it('reads pages newest first with filters, and the successful entries of a key', async () => {
    const store = await backend.open();
    try {
      // Every fourth entry is in another account: what a user limited to one account must not see.
      for (let i = 1; i <= 20; i++) await appendAuditEntry(store.db, store.backend, entry(i, i % 4 === 0 ? { account: '444455556666' } : {}));
      expect((await listAuditEntries(store.db, { accounts: ['444455556666'] }, { limit: 50 })).map((e) => e.seq)).toEqual([20, 16, 12, 8, 4]);
      expect(await listAuditEntries(store.db, { accounts: [] }, { limit: 50 })).toEqual([]);
      expect(await listAuditEntries(store.db, { accounts: ['111122223333', '444455556666'] }, { limit: 50 })).toHaveLength(20);
      const first = await listAuditEntries(store.db, {}, { limit: 5 });
      expect(first.map((e) => e.seq)).toEqual([20, 19, 18, 17, 16]);
      const next = await listAuditEntries(store.db, {}, { limit: 5, before: 16 });
      expect(next.map((e) => e.seq)).toEqual([15, 14, 13, 12, 11]);
      expect((await listAuditEntries(store.db, { outcome: 'error' }, { limit: 50 })).map((e) => e.seq)).toEqual([20, 15, 10, 5]);
      expect((await listAuditEntries(store.db, { actor: 'Alice', action: 'SetKeyEnabled', key: 'key-0' }, { limit: 50 })).map((e) => e.seq)).toEqual([15, 9, 3]);
      expect((await listAuditEntries(store.db, { actor: 'anonymous', from: T0 + 4, to: T0 + 8 }, { limit: 50 })).map((e) => e.seq)).toEqual([8, 6, 4]);
      const [newest] = first;
      expect(newest).toMatchObject({ seq: 20, actor: ANONYMOUS, params: { keyId: 'key-2', n: 20 }, requestIds: ['req-20'], errorName: 'NotFoundException' });
      expect((await auditEntriesForKey(store.db, 'PutKeyPolicy', ['key-1', 'key-x'])).map((e) => e.seq)).toEqual([16, 4]);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['edited', async (s: Awaited<ReturnType<typeof backend.open>>) => s.db.updateTable('audit_log').set({ outcome: 'ok', error_name: '' }).where('seq', '=', 5).execute(), 5],
    ['edited', async (s: Awaited<ReturnType<typeof backend.open>>) => s.db.updateTable('audit_log').set({ params: '{"keyId":"key-9","n":7}' }).where('seq', '=', 7).execute(), 7],
    ['deleted', async (s: Awaited<ReturnType<typeof backend.open>>) => s.db.deleteFrom('audit_log').where('seq', '=', 4).execute(), 4],
    [
      'reordered',
      async (s: Awaited<ReturnType<typeof backend.open>>) => {
        await s.db.updateTable('audit_log').set({ seq: 1000 }).where('seq', '=', 3).execute();
        await s.db.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 4).execute();
        await s.db.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', 1000).execute();
      },
      3,
    ],
    [
      'reordered',
      // Deleted, and the later entries renumbered to hide the gap.
      async (s: Awaited<ReturnType<typeof backend.open>>) => {
        await s.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
        await sql`update audit_log set seq = seq - 1 where seq > 6`.execute(s.db);
      },
      6,
    ],
  ] as const)('detects an entry %s (at #%#)', async (reason, tamper, brokenAt) => {
    const store = await backend.open();
    try {
      for (let i = 1; i <= 10; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      await tamper(store);
      const verdict = await verifyAuditChain(store.db, { pageSize: 3 });
      expect(verdict).toMatchObject({ ok: false, reason, brokenAt });
    } finally {
      await store.close();
    }
  });

  it('continues from a verified point, and notices when that point changed', async () => {
    const store = await backend.open();
    try {
      for (let i = 1; i <= 6; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      const prefix = await verifyAuditChain(store.db);
      if (!prefix.ok) throw new Error('expected an intact chain');
      for (let i = 7; i <= 9; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      const point = { seq: prefix.headSeq, hash: prefix.headHash };
      expect(await checkVerifiedPoint(store.db, point)).toBeNull();
      expect(await verifyAuditChain(store.db, { from: point })).toMatchObject({ ok: true, entries: 9 });

      await store.db.deleteFrom('audit_log').where('seq', '=', 2).execute();
      expect(await checkVerifiedPoint(store.db, point)).toMatchObject({ ok: false, reason: 'deleted' });
      await store.db.updateTable('audit_log').set({ hash: 'f'.repeat(64) }).where('seq', '=', 6).execute();
      expect(await checkVerifiedPoint(store.db, point)).toMatchObject({ ok: false, reason: 'edited', brokenAt: 6 });
    } finally {
      await store.close();
    }
  });

  it.runIf(backend.name === 'sqlite')('keeps one chain when several processes append to the same SQLite file', async () => {
    const store = await backend.open();
    try {
      const run = (name: string) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'append-worker.ts'), path.dirname(store.location), name, '40'], { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (chunk) => (stderr += chunk));
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${name} exited ${code}: ${stderr}`))));
        });
      const here = async () => {
        for (let i = 1; i <= 40; i++) await appendAuditEntry(store.db, store.backend, entry(i));
      };
      await Promise.all([run('a'), run('b'), here()]);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, entries: 120 });
      const byWorker = await store.db.selectFrom('audit_log').select(['user_agent']).execute();
      expect(byWorker.filter((r) => r.user_agent === 'b')).toHaveLength(40);
    } finally {
      await store.close();
    }
  });
});
