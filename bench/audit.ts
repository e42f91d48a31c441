/**
 * `npx tsx bench/audit.ts`: the console audit log's figures, in one run. Prints; asserts nothing.
 * 1. BENCH_AUDIT_ENTRIES (1,000,000) chained entries written into the embedded store (SQLite) in batches.
 * 2. A full verification walk of the chain: time and the process's peak memory (it reads pages, so the
 *    peak should not grow with the log).
 * 3. What a page load of /audit costs: the chain verdict with the verified prefix remembered, and the
 *    first page of entries unfiltered and with each filter.
 * 4. Appends one at a time through appendAuditEntry (the serialized path every action takes).
 * Set KEYDECK_BENCH_DATABASE_URL to run against PostgreSQL instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chainHash, GENESIS_HASH } from '../lib/audit/canonical';
import { ANONYMOUS, appendAuditEntry, listAuditEntries, verifyAuditChain } from '../lib/audit/log';
import { auditChainStatus } from '../lib/audit/verdict';
import { openStore } from '../lib/store/open';
import type { AuditLogTable } from '../lib/store/schema';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (t: number) => `${t.toFixed(1)} ms`;
const ACTIONS = ['SetKeyEnabled', 'PutKeyPolicy', 'CreateAlias', 'TagResource', 'Encrypt', 'ScheduleKeyDeletion'];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bench-audit-'));
const store = await openStore({ dataDir: dir, databaseUrl: process.env.KEYDECK_BENCH_DATABASE_URL });
try {
  console.log(`Audit log bench on ${store.backend}: ${ENTRIES.toLocaleString('en-US')} entries`);
  const t0 = Date.now() - ENTRIES * 1000;
  let prev = GENESIS_HASH;
  const [, fill] = await timed(async () => {
    for (let start = 1; start <= ENTRIES; start += 500) {
      const rows: AuditLogTable[] = [];
      for (let seq = start; seq < Math.min(start + 500, ENTRIES + 1); seq++) {
        const content = {
          time_ms: t0 + seq * 1000,
          actor_id: `u${seq % 40}`,
          actor_name: `user-${seq % 40}`,
          actor_role: 'operator',
          actor_provider: 'local',
          ip: '203.0.113.7',
          user_agent: 'Mozilla/5.0 (bench)',
          account: '111122223333',
          region: 'us-east-1',
          key_id: `key-${seq % 5000}`,
          action: ACTIONS[seq % ACTIONS.length],
          params: `{"keyId":"key-${seq % 5000}","region":"us-east-1","enabled":${seq % 2 === 0}}`,
          redacted: '[]',
          outcome: seq % 50 === 0 ? ('error' as const) : seq % 97 === 0 ? ('denied' as const) : ('ok' as const),
          error_name: seq % 50 === 0 ? 'NotFoundException' : '',
          error_message: '',
          request_ids: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
        };
        const hash = chainHash(prev, content);
        rows.push({ seq, ...content, prev_hash: prev, hash });
        prev = hash;
      }
      await store.db.transaction().execute((trx) => trx.insertInto('audit_log').values(rows).execute());
    }
  });
  const size = store.backend === 'sqlite' ? fs.statSync(store.location).size : 0;
  console.log(`fill: ${ms(fill)} (${Math.round(ENTRIES / (fill / 1000)).toLocaleString('en-US')} entries/s)${size ? `, file ${mb(size)}` : ''}`);

  let peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const [verdict, walk] = await timed(() => verifyAuditChain(store.db));
  clearInterval(sampler);
  console.log(`full verification: ${ms(walk)} (${Math.round(ENTRIES / (walk / 1000)).toLocaleString('en-US')} entries/s), verdict ${verdict.ok ? 'intact' : 'BROKEN'}; RSS ${mb(before)} before, peak ${mb(peak)}`);

  const [, first] = await timed(() => auditChainStatus(store));
  for (let i = 0; i < 10; i++) {
    await appendAuditEntry(store.db, store.backend, { timeMs: Date.now(), actor: ANONYMOUS, ip: '', userAgent: '', account: '', region: '', keyId: 'k', action: 'SetKeyEnabled', params: {}, redacted: [], outcome: 'ok', errorName: '', errorMessage: '', requestIds: [] });
  }
  const [status, load] = await timed(() => auditChainStatus(store));
  console.log(`page-load verdict: first load ${ms(first)} (full walk), next load ${ms(load)} (${status.mode}, ${status.verdict.ok ? 'intact' : 'broken'})`);

  for (const [name, filter] of [
    ['no filter', {}],
    ['action', { action: 'PutKeyPolicy' }],
    ['outcome=denied', { outcome: 'denied' as const }],
    ['key (rare)', { key: 'key-1234' }],
    ['actor', { actor: 'user-7' }],
    ['last hour', { from: Date.now() - 3600_000 }],
  ] as const) {
    const [rows, t] = await timed(() => listAuditEntries(store.db, filter, { limit: 100 }));
    console.log(`first page, ${name}: ${ms(t)} (${rows.length} rows)`);
  }

  const APPENDS = 1000;
  const [, appendTime] = await timed(async () => {
    for (let i = 0; i < APPENDS; i++) {
      await appendAuditEntry(store.db, store.backend, { timeMs: Date.now(), actor: ANONYMOUS, ip: '', userAgent: '', account: '', region: '', keyId: 'k', action: 'SetKeyEnabled', params: { i }, redacted: [], outcome: 'ok', errorName: '', errorMessage: '', requestIds: [] });
    }
  });
  console.log(`append: ${(appendTime / APPENDS).toFixed(2)} ms each, one at a time (${APPENDS} appends)`);
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
