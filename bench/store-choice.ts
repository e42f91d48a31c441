/**
 * `npm run bench:store-choice`: the measurement behind the usage store's engine (FACTS.md: "measure before
 * you choose"). The same workload — CloudTrail-shaped usage events appended with an hourly roll-up
 * maintained at ingest (upsert), then the usage page's queries from the roll-up and, as the baseline,
 * from the raw events — on each embedded engine that installs on Node 20 here: better-sqlite3 (the
 * project's), PGlite (PostgreSQL in WASM) and DuckDB (columnar). The other two are installed on first
 * run into node_modules/.cache/keydeck/store-choice (`npm install --no-save`), never into the project.
 * Prints figures; asserts nothing. BENCH_EVENTS (default 200,000).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = 500;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1);
const DAY = 24 * HOUR;

interface Row {
  id: string;
  time: number;
  key: string;
  name: string;
  caller: string;
  error: string;
}

/** Deterministic events over 90 days: 300 keys, 8 operations, 25 callers, 3% errors. */
function* events(): Generator<Row[]> {
  let s = 42;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const names = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey', 'Sign', 'Verify', 'ReEncrypt', 'ListAliases'];
  let batch: Row[] = [];
  for (let i = 0; i < EVENTS; i++) {
    batch.push({
      id: `e${i.toString(36).padStart(10, '0')}`,
      time: NOW - 90 * DAY + Math.floor((i / EVENTS) * 90 * DAY),
      key: `arn:aws:kms:us-east-1:111122223333:key/${String(Math.floor(rand() ** 2 * 300)).padStart(8, '0')}-0000-4000-8000-000000000000`,
      name: names[Math.floor(rand() * names.length)],
      caller: `arn:aws:iam::111122223333:role/app-${Math.floor(rand() * 25)}`,
      error: rand() < 0.03 ? 'AccessDeniedException' : '',
    });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** One engine: run SQL with positional parameters (`?` or `$n` as the engine wants), in a transaction when asked. */
interface Engine {
  name: string;
  placeholder: (n: number) => string;
  exec(sql: string): Promise<void>;
  run(sql: string, params: unknown[]): Promise<void>;
  all(sql: string, params: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

const SCHEMA = [
  'CREATE TABLE ev (id VARCHAR PRIMARY KEY, time BIGINT NOT NULL, key VARCHAR NOT NULL, name VARCHAR NOT NULL, caller VARCHAR NOT NULL, error VARCHAR NOT NULL)',
  'CREATE TABLE rollup (hour BIGINT NOT NULL, key VARCHAR NOT NULL, name VARCHAR NOT NULL, caller VARCHAR NOT NULL, error VARCHAR NOT NULL, calls BIGINT NOT NULL, PRIMARY KEY (hour, key, name, caller, error))',
];

async function measure(engine: Engine) {
  for (const sql of SCHEMA) await engine.exec(sql);
  const p = engine.placeholder;
  const started = performance.now();
  for (const batch of events()) {
    await engine.exec('BEGIN');
    const evValues = batch.map((_, r) => `(${[1, 2, 3, 4, 5, 6].map((c) => p(r * 6 + c)).join(', ')})`).join(', ');
    await engine.run(`INSERT INTO ev (id, time, key, name, caller, error) VALUES ${evValues} ON CONFLICT (id) DO NOTHING`, batch.flatMap((e) => [e.id, e.time, e.key, e.name, e.caller, e.error]));
    // The roll-up rows of the batch, summed first (as lib/usage/event-store.ts does), then upserted.
    const sums = new Map<string, [number, string, string, string, string, number]>();
    for (const e of batch) {
      const hour = e.time - (e.time % HOUR);
      const id = `${hour}|${e.key}|${e.name}|${e.caller}|${e.error}`;
      const row = sums.get(id);
      if (row) row[5]++;
      else sums.set(id, [hour, e.key, e.name, e.caller, e.error, 1]);
    }
    const rows = [...sums.values()];
    const ruValues = rows.map((_, r) => `(${[1, 2, 3, 4, 5, 6].map((c) => p(r * 6 + c)).join(', ')})`).join(', ');
    await engine.run(`INSERT INTO rollup (hour, key, name, caller, error, calls) VALUES ${ruValues} ON CONFLICT (hour, key, name, caller, error) DO UPDATE SET calls = rollup.calls + excluded.calls`, rows.flat());
    await engine.exec('COMMIT');
  }
  const ingestSeconds = (performance.now() - started) / 1000;

  const since30 = NOW - 30 * DAY;
  const since90 = NOW - 90 * DAY;
  const queries: [string, string, unknown[]][] = [
    ['calls per hour by operation, 30 d (roll-up)', `SELECT hour, name, SUM(calls) AS n FROM rollup WHERE hour >= ${p(1)} GROUP BY hour, name ORDER BY hour`, [since30]],
    ['top 10 keys, 90 d (roll-up)', `SELECT key, SUM(calls) AS n FROM rollup WHERE hour >= ${p(1)} GROUP BY key ORDER BY n DESC LIMIT 10`, [since90]],
    ['errors per day, 90 d (roll-up)', `SELECT hour - (hour % ${DAY}) AS day, SUM(calls) AS n FROM rollup WHERE hour >= ${p(1)} AND error <> '' GROUP BY day ORDER BY day`, [since90]],
    ['calls per hour by operation, 30 d (raw events)', `SELECT time - (time % ${HOUR}) AS hour, name, COUNT(*) AS n FROM ev WHERE time >= ${p(1)} GROUP BY hour, name ORDER BY hour`, [since30]],
    ['top 10 keys, 90 d (raw events)', `SELECT key, COUNT(*) AS n FROM ev WHERE time >= ${p(1)} GROUP BY key ORDER BY n DESC LIMIT 10`, [since90]],
  ];
  const timings: [string, number][] = [];
  for (const [label, sql, params] of queries) {
    await engine.all(sql, params); // warm
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const out = await engine.all(sql, params);
      runs.push(performance.now() - t);
      if (out.length === 0) throw new Error(`${engine.name}: ${label} returned no rows`);
    }
    timings.push([label, runs.sort((a, b) => a - b)[2]]);
  }
  return { ingest: EVENTS / ingestSeconds, timings, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

function sqliteEngine(dir: string): Engine {
  const db = new Database(path.join(dir, 'bench.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return {
    name: 'better-sqlite3',
    placeholder: () => '?',
    exec: async (sql) => void db.exec(sql),
    run: async (sql, params) => void db.prepare(sql).run(...params),
    all: async (sql, params) => db.prepare(sql).all(...params),
    close: async () => void db.close(),
  };
}

/** PGlite and DuckDB, installed once outside the project's dependencies. */
function optionalRequire(): NodeJS.Require {
  const dir = path.join(process.cwd(), 'node_modules', '.cache', 'keydeck', 'store-choice');
  const packages = ['@electric-sql/pglite@0.5.17', '@duckdb/node-api@1.5.6-r.1'];
  if (!fs.existsSync(path.join(dir, 'node_modules', '@duckdb', 'node-api')) || !fs.existsSync(path.join(dir, 'node_modules', '@electric-sql', 'pglite'))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    console.log(`installing ${packages.join(', ')} into ${path.relative(process.cwd(), dir)} (not the project's dependencies) …`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, ...packages], { stdio: 'inherit' });
  }
  return createRequire(path.join(dir, 'package.json'));
}

async function pgliteEngine(dir: string, load: NodeJS.Require): Promise<Engine> {
  const { PGlite } = load('@electric-sql/pglite') as { PGlite: new (dir: string) => { exec(sql: string): Promise<unknown>; query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>; close(): Promise<void> } };
  const db = new PGlite(path.join(dir, 'pglite'));
  return {
    name: 'PGlite (PostgreSQL, WASM)',
    placeholder: (n) => `$${n}`,
    exec: async (sql) => void (await db.exec(sql)),
    run: async (sql, params) => void (await db.query(sql, params)),
    all: async (sql, params) => (await db.query(sql, params)).rows,
    close: () => db.close(),
  };
}

async function duckdbEngine(dir: string, load: NodeJS.Require): Promise<Engine> {
  type Connection = { run(sql: string, params?: unknown[]): Promise<{ getRows(): Promise<unknown[]> }>; closeSync(): void };
  const { DuckDBInstance } = load('@duckdb/node-api') as { DuckDBInstance: { create(file: string): Promise<{ connect(): Promise<Connection>; closeSync(): void }> } };
  const instance = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
  const db = await instance.connect();
  return {
    name: 'DuckDB (columnar)',
    placeholder: (n) => `$${n}`,
    exec: async (sql) => void (await db.run(sql)),
    run: async (sql, params) => void (await db.run(sql, params)),
    all: async (sql, params) => (await db.run(sql, params)).getRows(),
    close: async () => {
      db.closeSync();
      instance.closeSync();
    },
  };
}

type Result = Awaited<ReturnType<typeof measure>>;
const ENGINES: Record<string, (dir: string) => Promise<Engine>> = {
  'better-sqlite3': async (dir) => sqliteEngine(dir),
  pglite: (dir) => pgliteEngine(dir, optionalRequire()),
  duckdb: (dir) => duckdbEngine(dir, optionalRequire()),
};

/** One engine in this process (BENCH_ENGINE set by main): its result as a JSON line, so its peak RSS is its own. */
async function runOne(id: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-store-choice-'));
  const engine = await ENGINES[id](dir);
  try {
    console.log(JSON.stringify({ name: engine.name, result: await measure(engine) }));
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`Embedded store choice — ${EVENTS.toLocaleString('en-US')} usage events over 90 days, node ${process.version}, load average ${os.loadavg()[0].toFixed(2)}\n`);
  optionalRequire(); // installs the other engines once, before any is timed
  const results: [string, Result][] = [];
  for (const id of Object.keys(ENGINES)) {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]], { env: { ...process.env, BENCH_ENGINE: id }, encoding: 'utf8' });
    const { name, result } = JSON.parse(out.trim().split('\n').pop()!) as { name: string; result: Result };
    results.push([name, result]);
  }
  const base = results[0][1];
  for (const [name, r] of results) {
    console.log(`${name}`);
    console.log(`  ingest with roll-up upserts   ${Math.round(r.ingest).toLocaleString('en-US').padStart(9)} events/s   (${(r.ingest / base.ingest).toFixed(2)}× better-sqlite3)   peak RSS of its process: ${Math.round(r.peakRssMb)} MB`);
    r.timings.forEach(([label, ms], i) => console.log(`  ${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms   (${(ms / base.timings[i][1]).toFixed(2)}× better-sqlite3)`));
  }
  console.log(`\nLoad average at the end: ${os.loadavg()[0].toFixed(2)}`);
}

if (process.env.BENCH_ENGINE) await runOne(process.env.BENCH_ENGINE);
else await main();
