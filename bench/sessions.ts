/**
 * `npm run bench:sessions`: 200 signed-in sessions browsing and changing the demo console for 60 s.
 *
 * Starts the built console on a fresh data dir and signs each session in as a demo persona through the
 * sign-in page's own server action, encoded as the browser encodes it (React's encodeReply). Each session
 * then loops like a user: the data the pages load (inventory, a key's detail, usage, the audit log) and,
 * every few rounds, a tag change through the key page's server action — operators and admins succeed,
 * viewers must be refused. Reports requests, 5xx answers (must be none), the p50/p95/p99 time of page data,
 * and checks that the audit log holds exactly one entry per write attempt and that its chain verifies.
 * Exits non-zero when a check fails.
 *
 * BENCH_SESSIONS (200), BENCH_SECONDS (60), BENCH_PORT (3310), BENCH_SKIP_BUILD=1 to reuse `next build`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { verifyAuditChain } from '../lib/audit/log';
import { openStore } from '../lib/store/open';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const REGION = 'us-east-1';
/** The demo account, as the header's account switcher names it (server actions name their account). */
const ACCOUNT = '111122223333';
const KEYS = 20;
const ROOT = path.resolve(import.meta.dirname, '..');

// The client half of React's server-action wire format, as Next.js bundles it for the browser.
const require = createRequire(import.meta.url);
const { encodeReply } = require('next/dist/compiled/react-server-dom-webpack/client.node.js') as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};

type Role = 'admin' | 'operator' | 'viewer';
/** One admin in five, operators and viewers in equal parts. */
const roleOf = (i: number): Role => (i % 5 === 0 ? 'admin' : i % 2 === 0 ? 'operator' : 'viewer');

/** The id Next.js gave a server action in this build (read from the build's manifest, as the page would embed it). */
function actionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const found = Object.entries(manifest.node).find(([, a]) => a.filename === file && a.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} in ${file}: build the console first`);
  return found[0];
}

/** Calls a server action the way the browser does; returns the HTTP answer. */
async function callAction(pagePath: string, id: string, args: unknown[], cookie?: string): Promise<Response> {
  const body = await encodeReply(args);
  const headers: Record<string, string> = { 'Next-Action': id, Accept: 'text/x-component', Origin: ORIGIN };
  if (typeof body === 'string') headers['Content-Type'] = 'text/plain;charset=UTF-8';
  if (cookie) headers.Cookie = cookie;
  return fetch(`${ORIGIN}${pagePath}`, { method: 'POST', headers, body, redirect: 'manual' });
}

/** The action's return value from its React Flight answer: the row the first row points at (`"a":"$@1"`). */
function actionResult(flight: string): unknown {
  const rows = new Map<string, string>();
  for (const line of flight.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1], match[2]);
  }
  const head = JSON.parse(rows.get('0') ?? '{}') as { a?: string };
  const ref = head.a?.startsWith('$@') ? head.a.slice(2) : undefined;
  return ref && rows.has(ref) ? JSON.parse(rows.get(ref)!) : head.a;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${ORIGIN}/signin`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the console did not start within 60 s');
}

interface Stats {
  requests: number;
  fiveHundreds: string[];
  pageData: number[];
  byRoute: Map<string, number[]>;
  writes: { ok: number; denied: number; error: number; unexpected: string[] };
}

async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    console.log('building the console (next build)…');
    const build = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const signInId = actionId('app/signin/actions.ts', 'signInDemoAction');
  const putTagId = actionId('app/(console)/keys/[keyId]/actions.ts', 'putTagAction');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bench-sessions-'));
  const server = spawn('npx', ['next', 'start', '-p', String(PORT)], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, KEYDECK_MODE: 'demo', KEYDECK_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
  });
  let failed = false;
  try {
    await waitForServer();
    // Keys to browse and tag, made through the console's own emulator endpoint as the AWS CLI would.
    const kms = new KMSClient({ region: REGION, endpoint: `${ORIGIN}/api/kms`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const keyIds: string[] = [];
    for (let i = 0; i < KEYS; i++) keyIds.push((await kms.send(new CreateKeyCommand({ Description: `bench:sessions ${i}` }))).KeyMetadata!.KeyId!);

    // Sign the sessions in, a few at a time as people arrive.
    const cookies: string[] = [];
    for (let i = 0; i < SESSIONS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, SESSIONS - i) }, async (_, j) => {
          const form = new FormData();
          form.set('role', roleOf(i + j));
          form.set('next', '/keys');
          const answer = await callAction('/signin', signInId, [{ error: null, userName: '' }, form]);
          const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('keydeck_session='));
          if (!cookie) throw new Error(`sign-in as ${roleOf(i + j)} set no session cookie (HTTP ${answer.status})`);
          return cookie.split(';')[0];
        }),
      );
      cookies.push(...batch);
    }
    console.log(`${SESSIONS} sessions signed in (${cookies.filter((_, i) => roleOf(i) === 'admin').length} admin, ${cookies.filter((_, i) => roleOf(i) === 'operator').length} operator, ${cookies.filter((_, i) => roleOf(i) === 'viewer').length} viewer); browsing for ${SECONDS} s…`);

    const stats: Stats = { requests: 0, fiveHundreds: [], pageData: [], byRoute: new Map(), writes: { ok: 0, denied: 0, error: 0, unexpected: [] } };
    const deadline = Date.now() + SECONDS * 1000;

    const read = async (route: string, url: string, cookie: string) => {
      const started = performance.now();
      const answer = await fetch(`${ORIGIN}${url}`, { headers: { Cookie: cookie } });
      await answer.arrayBuffer();
      const took = performance.now() - started;
      stats.requests++;
      if (answer.status >= 500) stats.fiveHundreds.push(`${answer.status} GET ${url}`);
      else if (answer.status !== 200) stats.writes.unexpected.push(`${answer.status} GET ${url}`);
      stats.pageData.push(took);
      const list = stats.byRoute.get(route) ?? [];
      list.push(took);
      stats.byRoute.set(route, list);
    };

    const session = async (i: number) => {
      const cookie = cookies[i];
      const role = roleOf(i);
      for (let round = 0; Date.now() < deadline; round++) {
        const keyId = keyIds[(i + round) % keyIds.length];
        await read('inventory', `/api/keys?region=${REGION}`, cookie);
        await read('key detail', `/api/keys/${keyId}?region=${REGION}`, cookie);
        if (round % 3 === 0) await read('usage', `/api/usage?region=${REGION}&range=7d`, cookie);
        if (round % 4 === 0) await read('audit', '/api/audit', cookie);
        if (round % 2 === 0) {
          const answer = await callAction(`/keys/${keyId}`, putTagId, [{ account: ACCOUNT, region: REGION, keyId, key: 'team', value: `s${i}-r${round}` }], cookie);
          stats.requests++;
          const text = await answer.text();
          if (answer.status >= 500) {
            stats.fiveHundreds.push(`${answer.status} TagResource`);
            continue;
          }
          const result = actionResult(text) as { ok?: boolean; error?: { name?: string } };
          if (result?.ok === true && role !== 'viewer') stats.writes.ok++;
          else if (result?.ok === false && result.error?.name === 'AccessDeniedException' && role === 'viewer') stats.writes.denied++;
          else if (result?.ok === false) {
            stats.writes.error++;
            stats.writes.unexpected.push(`${role} TagResource: ${result.error?.name}`);
          } else stats.writes.unexpected.push(`${role} TagResource answered ${answer.status} ${text.slice(0, 120)}`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(cookies.map((_, i) => session(i)));
    const elapsed = (performance.now() - started) / 1000;

    // The audit log, read from the store the console wrote: one TagResource entry per attempt answered.
    const store = await openStore({ dataDir });
    const attempts = stats.writes.ok + stats.writes.denied + stats.writes.error;
    const logged = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'TagResource')
      .executeTakeFirstOrThrow();
    const chain = await verifyAuditChain(store.db);
    await store.close();

    const sorted = [...stats.pageData].sort((a, b) => a - b);
    console.log(`\n${stats.requests.toLocaleString('en-US')} requests in ${elapsed.toFixed(1)} s (${(stats.requests / elapsed).toFixed(0)} req/s), ${SESSIONS} sessions, ${os.cpus().length} cores`);
    console.log(`page data: p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, p99 ${ms(percentile(sorted, 99))} (${sorted.length.toLocaleString('en-US')} reads)`);
    for (const [route, times] of stats.byRoute) {
      const s = [...times].sort((a, b) => a - b);
      console.log(`  ${route.padEnd(11)} p50 ${ms(percentile(s, 50)).padStart(7)}  p95 ${ms(percentile(s, 95)).padStart(7)}  (${s.length.toLocaleString('en-US')})`);
    }
    console.log(`writes (TagResource): ${stats.writes.ok} ok (operators, admins), ${stats.writes.denied} refused (viewers), ${stats.writes.error} other errors`);
    console.log(`5xx answers: ${stats.fiveHundreds.length}${stats.fiveHundreds.length ? ` — ${[...new Set(stats.fiveHundreds)].slice(0, 5).join('; ')}` : ''}`);
    console.log(`audit log: ${Number(logged.n)} TagResource entries for ${attempts} attempts — ${Number(logged.n) === attempts ? 'none lost' : 'MISMATCH'}; chain ${chain.ok ? `intact (${chain.entries.toLocaleString('en-US')} entries)` : `BROKEN: ${JSON.stringify(chain)}`}`);
    if (stats.writes.unexpected.length) console.log(`unexpected answers: ${[...new Set(stats.writes.unexpected)].slice(0, 5).join('; ')}`);
    failed = stats.fiveHundreds.length > 0 || Number(logged.n) !== attempts || !chain.ok || stats.writes.unexpected.length > 0;
  } finally {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) {
    console.error('\nbench:sessions: a check failed (see above)');
    process.exitCode = 1;
  }
}

await main();
