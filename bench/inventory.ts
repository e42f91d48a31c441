/**
 * `npm run bench:inventory`: the key inventory at 10,000 keys. Seeds a fresh emulator data dir in
 * process, starts the built console over it, and reports the server's time to load the inventory
 * (cold and cached), the browser's time to first rows and to "all keys searchable" (headless
 * Chromium), and the /keys route's first-load JS (gzip); then what the same cold load would take in
 * real AWS at its per-API request quotas, and how loaded the machine was. Prints figures; asserts nothing.
 * Set BENCH_KEYS to change the count, BENCH_SKIP_BUILD=1 to reuse the last `next build`, BENCH_DATA_DIR
 * to keep (and reuse) the seeded data dir.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, type CreateKeyCommandInput } from '@aws-sdk/client-kms';
import { chromium } from '@playwright/test';
import { signInDemoPersona } from './browser-session';
import { createEmulator } from '../lib/emulator/index';
import { AWS_INVENTORY_RATES, KMS_READ_QUOTAS, type InventoryOperation } from '../lib/kms/inventory-quotas';

// The SDK's Node 20 support-window notice says nothing about this benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const KEYS = Number(process.env.BENCH_KEYS ?? 10_000);
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const REGION = 'us-east-1';
const ORIGIN = `http://127.0.0.1:${PORT}`;
const ROOT = path.resolve(import.meta.dirname, '..');
const TEAMS = ['payments', 'platform', 'data', 'identity', 'release', 'iot', 'search', 'mobile'];
// Mostly symmetric keys, as in real accounts, with ECC and HMAC mixed in. RSA keys are few: generating
// an RSA key takes ~100 ms here, so 1 in 7 of them would make the seed take minutes instead of seconds.
const specFor = (i: number): Pick<CreateKeyCommandInput, 'KeySpec' | 'KeyUsage'> => {
  if (i % 100 === 99) return { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' };
  if (i % 7 === 5) return { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' };
  if (i % 7 === 6) return { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' };
  return {};
};

const load = () => os.loadavg().map((n) => n.toFixed(1)).join(' / ');
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const target = (value: number, limit: number) => `${value <= limit ? 'within' : 'OVER'} target ${limit.toLocaleString('en-US')}`;

/** The alias the seed gives its last key: the search target below. */
const lastAliasOf = (i: number) => `alias/bench/${TEAMS[i % TEAMS.length]}/key-${String(i).padStart(5, '0')}`;

async function seed(dataDir: string): Promise<void> {
  // Seed data needs no durability: skip the journal's fsync per write (a 10,000-key seed then takes
  // seconds, not minutes). The server started afterwards reads the same files from the page cache.
  const fsyncSync = fs.fsyncSync;
  fs.fsyncSync = () => undefined;
  const emulator = createEmulator({ dataDir: path.join(dataDir, 'emulator') });
  const kms = emulator.kmsClient({ region: REGION });
  const started = performance.now();
  for (let i = 0; i < KEYS; i++) {
    const team = TEAMS[i % TEAMS.length];
    const spec = specFor(i);
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ ...spec, Description: `Bench key ${i} of team ${team}`, Tags: [{ TagKey: 'team', TagValue: team }, { TagKey: 'env', TagValue: i % 3 ? 'prod' : 'dev' }] }),
    );
    const KeyId = KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: lastAliasOf(i), TargetKeyId: KeyId }));
    // Automatic rotation exists for symmetric keys only.
    if (!spec.KeySpec && i % 7 === 0) await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 + (i % 275) }));
    if ((i + 1) % 2000 === 0) process.stdout.write(`  seeded ${i + 1} keys (${ms(performance.now() - started)})\n`);
  }
  await emulator.close();
  fs.fsyncSync = fsyncSync;
  console.log(`seeded ${KEYS.toLocaleString('en-US')} keys in ${ms(performance.now() - started)}`);
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      // A page that does not load the inventory, so the first /api/keys below measures a cold load.
      if ((await fetch(`${ORIGIN}/settings`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the console did not start within 30 s');
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** First-load JS of a route: every script the HTML loads, gzipped as a server would send it. */
async function firstLoadJs(html: string): Promise<{ files: number; raw: number; gzip: number }> {
  // noModule scripts are polyfills that modern browsers skip (Next's own "First Load JS" leaves them out too).
  const tags = [...html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"[^>]*>/g)].filter((m) => !/\bnoModule\b/i.test(m[0]));
  const sources = [...new Set(tags.map((m) => m[1]))];
  let raw = 0;
  let gzip = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await fetch(new URL(src, ORIGIN))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files: sources.length, raw, gzip };
}

/**
 * The least time a load of these requests takes in real AWS when each operation runs at `rates` (its own
 * quota: they run side by side), ignoring latency: the slowest operation's count divided by its rate.
 */
function atRates(byOperation: Partial<Record<string, number>>, rates: Record<InventoryOperation, number>): { seconds: number; bound: string } {
  let worst = { seconds: 0, bound: '' };
  for (const [operation, rate] of Object.entries(rates)) {
    const seconds = (byOperation[operation] ?? 0) / rate;
    if (seconds > worst.seconds) worst = { seconds, bound: operation };
  }
  return worst;
}

async function main() {
  console.log(`machine: ${os.cpus().length} cores, load average ${load()} (1 / 5 / 15 min) at start`);
  if (!process.env.BENCH_SKIP_BUILD) {
    console.log('building the console (next build)…');
    const build = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) throw new Error('next build failed');
  }
  // BENCH_DATA_DIR keeps a seeded dir between runs (seeded when empty); by default a fresh one is used and removed.
  const keep = process.env.BENCH_DATA_DIR;
  const dataDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bench-'));
  if (!fs.existsSync(path.join(dataDir, 'emulator', 'journal.jsonl'))) {
    console.log(`seeding ${KEYS.toLocaleString('en-US')} keys into ${dataDir} …`);
    try {
      await seed(dataDir);
    } catch (error) {
      if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  const lastAlias = lastAliasOf(KEYS - 1);

  const server = spawn('npx', ['next', 'start', '-p', String(PORT)], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, KEYDECK_MODE: 'demo', KEYDECK_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const browser = await chromium.launch({ executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await waitForServer();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const headers = { cookie: await signInDemoPersona(context, ORIGIN) };

    // Server: a cold load walks the whole KMS API (ListKeys, ListAliases, then per key DescribeKey,
    // ListResourceTags and GetKeyRotationStatus); the next request is served from the cache.
    const loadBefore = load();
    const [cold, coldMs] = await timed(async () => (await fetch(`${ORIGIN}/api/keys?region=${REGION}&refresh=1`, { headers })).json());
    const loadAfterCold = load();
    const [, warmMs] = await timed(async () => (await fetch(`${ORIGIN}/api/keys?region=${REGION}`, { headers })).arrayBuffer());
    const json = Buffer.from(JSON.stringify(cold));

    // Browser: navigation to first rows, and to a search over all keys answering (hydrated, data in hand).
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/settings`); // warm the browser's connection and shared chunks, as a user would have
    const navigate = async () => {
      const navStart = performance.now();
      await page.goto(`${ORIGIN}/keys?region=${REGION}`, { waitUntil: 'commit' });
      await page.locator('tbody tr[aria-rowindex]').first().waitFor();
      const firstRows = performance.now() - navStart;
      await page.getByText(/Refreshed (just now|\d+ (s|min|h) ago)/).waitFor();
      await page.getByLabel('Search keys', { exact: true }).fill(lastAlias);
      await page.getByRole('link', { name: lastAlias }).waitFor();
      return { firstRows, searchable: performance.now() - navStart };
    };
    // The first visit also pays for loading the route's server code; later ones show the steady state.
    const firstVisit = await navigate();
    const later = [await navigate(), await navigate(), await navigate()];
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const firstRowsMs = median(later.map((v) => v.firstRows));
    const searchableMs = median(later.map((v) => v.searchable));
    const searchStart = performance.now();
    await page.getByLabel('Search keys', { exact: true }).fill('team=payments env=dev');
    await page.getByText(/^Showing \d+ of/).waitFor();
    const oneSearchMs = performance.now() - searchStart;

    // Scroll to the bottom of 10,000 rows: the DOM must hold only a screenful.
    const rowsInDom = await page.evaluate(async () => {
      const scroller = document.querySelector('table')!.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return document.querySelectorAll('tbody tr[aria-rowindex]').length;
    });

    const html = await (await fetch(`${ORIGIN}/keys?region=${REGION}`, { headers })).text();
    const js = await firstLoadJs(html);

    const inventory = cold as { keys: unknown[]; loadMs: number; requests: number; requestsByOperation?: Partial<Record<string, number>> };
    const byOperation = inventory.requestsByOperation ?? {};
    console.log('');
    console.log(`inventory: ${inventory.keys.length.toLocaleString('en-US')} keys, ${inventory.requests.toLocaleString('en-US')} KMS requests (${(inventory.requests / inventory.keys.length).toFixed(2)} per key)`);
    console.log(`  by operation: ${Object.entries(byOperation).map(([op, n]) => `${op} ${n!.toLocaleString('en-US')}`).join(', ')}`);
    console.log(`  server, cold load (refresh):      ${ms(coldMs)}  (loader ${ms(inventory.loadMs)}, ${(inventory.loadMs / inventory.requests).toFixed(3)} ms/request)  ${target(coldMs, 1500)}`);
    console.log(`    load average before / after:    ${loadBefore}  →  ${loadAfterCold}`);
    console.log(`  server, cached:                   ${ms(warmMs)}  ${target(warmMs, 1500)}`);
    console.log(`  JSON: ${kb(json.length)} raw, ${kb(gzipSync(json).length)} gzip`);
    console.log(`browser (headless Chromium, cached inventory; median of 3 visits after a first one):`);
    console.log(`  navigation → first rows:          ${ms(firstRowsMs)}  ${target(firstRowsMs, 800)}  (first visit ${ms(firstVisit.firstRows)})`);
    console.log(`  navigation → all keys searchable: ${ms(searchableMs)}  (first visit ${ms(firstVisit.searchable)})`);
    console.log(`  one search over all keys:         ${ms(oneSearchMs)}`);
    console.log(`  rows in the DOM at the bottom:    ${rowsInDom}`);
    console.log(`/keys HTML (first screen of rows; the rest comes from /api/keys): ${kb(html.length)} raw, ${kb(gzipSync(html).length)} gzip`);
    console.log(`/keys first-load JS: ${js.files} files, ${kb(js.raw)} raw, ${kb(js.gzip)} gzip  ${target(js.gzip / 1024, 200)} KB`);
    // Real AWS: each operation has its own per-second quota, so the slowest one bounds a cold load.
    const full = atRates(byOperation, KMS_READ_QUOTAS);
    const half = atRates(byOperation, AWS_INVENTORY_RATES);
    console.log(`real AWS, the same ${inventory.requests.toLocaleString('en-US')} requests (latency aside):`);
    console.log(`  at the default quotas:            ≥ ${full.seconds.toFixed(1)} s (bound by ${full.bound}, ${KMS_READ_QUOTAS[full.bound as InventoryOperation]}/s)`);
    console.log(`  paced at half of them (aws mode):  ≥ ${half.seconds.toFixed(1)} s (bound by ${half.bound}, ${AWS_INVENTORY_RATES[half.bound as InventoryOperation]}/s)`);
    console.log(`machine: load average ${load()} at the end`);
  } finally {
    await browser.close();
    // The server runs in its own process group (detached): stop it and its children.
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
