/**
 * `npm run bench:emulator`: the emulator's Encrypt/Decrypt throughput, in process through the SDK and
 * over HTTP on loopback (32 keep-alive connections), each as a ratio to raw node:crypto AES-256-GCM
 * on the same 1 KiB payload measured in the same run. Prints figures; asserts nothing.
 */
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os, { cpus } from 'node:os';
import path from 'node:path';
import { CreateGrantCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import autocannon from 'autocannon';
import { createEmulator } from '../lib/emulator/index';
import { BENCH_GRANT, BENCH_POLICY, dispatchMicros, signRequest } from './support/signed-encrypt';

const PAYLOAD = crypto.randomBytes(1024);
/** The emulator's data-plane worker threads: BENCH_WORKERS, else `npm run emulator`'s default (cores − 2, at least 0). */
const WORKERS = Number(process.env.BENCH_WORKERS ?? Math.max(0, os.availableParallelism() - 2));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** BENCH_CPU_PROF=dir: each emulator server runs under `node --cpu-prof` and writes its profile there (read it with scripts/cpu-profile-top.mjs). */
const CPU_PROF = process.env.BENCH_CPU_PROF;
/** BENCH_EMULATOR_ARGS='--quiet …': more arguments for both emulator servers, to measure what a setting costs. */
const EMULATOR_ARGS = (process.env.BENCH_EMULATOR_ARGS ?? '').split(' ').filter(Boolean);
/** BENCH_OPERATIONS=Encrypt (or Decrypt): drive only these operations over HTTP, e.g. for a profile of one. */
const OPERATIONS = new Set((process.env.BENCH_OPERATIONS ?? 'Encrypt,Decrypt').split(','));
/** Seconds of load on each emulator request before its first round is measured. */
const EMULATOR_WARM_UP = 3;
/** Measured rounds of each path over HTTP, alternated (BENCH_ROUNDS, default 4). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));

function opsPerSecond(fn: () => void, seconds = Math.min(SECONDS, 3)): number {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

async function asyncOpsPerSecond(fn: () => Promise<unknown>, seconds = Math.min(SECONDS, 3)): Promise<number> {
  for (const warmUpEnd = performance.now() + 500; performance.now() < warmUpEnd; ) await fn(); // let the JIT settle
  const start = performance.now();
  const end = start + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The median of each figure of `results` (req/s, latencies, CPU per request) taken separately. */
const medianResult = (results: LoadResult[]): LoadResult => {
  const cpu = results.map((r) => r.cpuUs).filter((c): c is number => c !== undefined);
  return { rps: median(results.map((r) => r.rps)), p50: Math.round(median(results.map((r) => r.p50)) * 100) / 100, p99: Math.round(median(results.map((r) => r.p99)) * 100) / 100, cpuUs: cpu.length ? median(cpu) : undefined };
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number, base: number) => `${(n / base).toFixed(3)}× ceiling`;

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** The server's CPU µs per request over the measured seconds (warm-up excluded), when its CPU time can be read. */
  cpuUs?: number;
}

interface LoadRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

// wrk (apt-get install wrk) is a C load generator: it leaves the server most of the 2 cores that
// autocannon, running in this Node process, would take. Both measure the floor the same way.
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((file) => fs.existsSync(file));
const GENERATOR = process.env.BENCH_LOAD === 'autocannon' || !WRK ? 'autocannon (in this process)' : 'wrk (1 thread)';

/**
 * Warms up (a second by default), then drives `request` with 32 keep-alive connections for SECONDS;
 * `cpuSeconds` (the server's CPU time) is read around the measured seconds only.
 */
async function drive(port: number, request: LoadRequest, cpuSeconds: () => number | undefined, warmUpSeconds = 1, seconds = SECONDS): Promise<LoadResult> {
  if (GENERATOR.startsWith('wrk')) return loadWithWrk(port, request, cpuSeconds, warmUpSeconds, seconds);
  const url = `http://127.0.0.1:${port}`;
  await autocannon({ url, connections: 32, duration: warmUpSeconds, requests: [request] });
  if (seconds === 0) return { rps: 0, p50: 0, p99: 0 };
  const before = cpuSeconds();
  const result = await autocannon({ url, connections: 32, duration: seconds, requests: [request] });
  const cpuUs = cpuPerRequest(before, cpuSeconds(), result.requests.total);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx responses and ${result.errors} errors from ${url}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
}

/** Runs wrk with a Lua script that sends `request`; reads req/s and the latency percentiles it prints. */
async function loadWithWrk(port: number, request: LoadRequest, cpuSeconds: () => number | undefined, warmUpSeconds: number, seconds: number): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-wrk-'));
  const script = path.join(dir, 'request.lua');
  const headers = Object.entries(request.headers)
    .filter(([name]) => name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length')
    .map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  fs.writeFileSync(script, [`wrk.method = "POST"`, `wrk.path = ${JSON.stringify(request.path)}`, `wrk.body = ${JSON.stringify(request.body)}`, ...headers].join('\n'));
  const run = (seconds: number) =>
    new Promise<string>((resolve, reject) =>
      execFile(WRK!, ['-t1', '-c32', `-d${seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${port}${request.path}`], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
  try {
    await run(warmUpSeconds);
    if (seconds === 0) return { rps: 0, p50: 0, p99: 0 };
    const before = cpuSeconds();
    const out = await run(seconds);
    const cpuUs = cpuPerRequest(before, cpuSeconds(), Number(/(\d+) requests in/.exec(out)?.[1]));
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
    if (non2xx) throw new Error(`${non2xx[1]} non-2xx responses from port ${port}`);
    const ms = (label: string) => {
      const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      if (!m) throw new Error(`wrk printed no ${label}% latency:\n${out}`);
      return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
    };
    return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), p50: Math.round(ms('50') * 100) / 100, p99: Math.round(ms('99') * 100) / 100, cpuUs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare node:http server: the same response headers and an Encrypt-sized body, no work. */
const FLOOR_SERVER = `
const body = Buffer.from(JSON.stringify({ CiphertextBlob: 'A'.repeat(1468), KeyId: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
const server = require('node:http').createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => res.writeHead(200, ['content-length', String(body.length), 'content-type', 'application/x-amz-json-1.1', 'x-amzn-requestid', require('node:crypto').randomUUID()]).end(body));
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** utime + stime of a process from /proc (clock ticks of 10 ms), or undefined off Linux. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The server's CPU µs per request between two readings (steadier than req/s when other work shares the cores). */
const cpuPerRequest = (before: number | undefined, after: number | undefined, requests: number) =>
  before === undefined || after === undefined || !(requests > 0) ? undefined : ((after - before) * 1e6) / requests;
const cpuText = (result: LoadResult) => (result.cpuUs === undefined ? '' : `, server CPU ${Math.round(result.cpuUs)} µs/req`);

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(', ');

/** Starts a server process, resolving once it prints its port. */
async function startServer(args: string[]) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  child.stdout.setEncoding('utf8');
  let lines = 0;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    child.stdout.on('data', (chunk: string) => {
      const m = /127\.0\.0\.1:(\d+)/.exec(chunk);
      if (m) resolve(Number(m[1]));
      else lines += chunk.split('\n').length - 1;
    });
  });
  return {
    port,
    /** CPU seconds the server process (all its threads) has used so far; Linux only (undefined elsewhere). */
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
      return lines;
    },
  };
}

async function main() {
  console.log(`Keydeck emulator benchmark — node ${process.version}, ${cpus().length} cores, 1 KiB payload; load average at start ${load()}\n`);

  // Ceiling: what node:crypto alone does per second with the same payload.
  const key = crypto.randomBytes(32);
  const ceiling = opsPerSecond(() => {
    const c = crypto.createCipheriv('aes-256-gcm', key, crypto.randomBytes(12));
    c.update(PAYLOAD);
    c.final();
    c.getAuthTag();
  });
  console.log(`raw node:crypto AES-256-GCM            ${fmt(ceiling).padStart(10)} ops/s   (ceiling)`);

  // In process, through the official SDK.
  const emulator = createEmulator();
  const kms = emulator.kmsClient();
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'bench' }));
  const keyId = KeyMetadata!.KeyId!;
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: PAYLOAD }));
  const sdkEncrypt = await asyncOpsPerSecond(() => kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: PAYLOAD })));
  console.log(`SDK in process: Encrypt               ${fmt(sdkEncrypt).padStart(10)} ops/s   ${ratio(sdkEncrypt, ceiling)}`);
  const sdkDecrypt = await asyncOpsPerSecond(() => kms.send(new DecryptCommand({ CiphertextBlob })));
  console.log(`SDK in process: Decrypt               ${fmt(sdkDecrypt).padStart(10)} ops/s   ${ratio(sdkDecrypt, ceiling)}`);
  const dispatchCore = await dispatchMicros(false, PAYLOAD);
  const dispatchFull = await dispatchMicros(true, PAYLOAD);
  console.log(
    `dispatch in process, CPU per signed Encrypt (no HTTP, no SDK): core path ${dispatchCore.toFixed(1)} µs, with access control ${dispatchFull.toFixed(1)} µs (${(dispatchFull / dispatchCore).toFixed(2)}× the core path)`,
  );

  // Over HTTP: the standalone server (npm run emulator, with its default data-plane worker threads) in its own
  // process, as a training class would run it; the load generator shares the machine's cores with it.
  console.log(`\nHTTP on loopback, 32 keep-alive connections, load from ${GENERATOR}; the emulator runs its main thread (HTTP, state) and ${WORKERS} data-plane worker thread${WORKERS === 1 ? '' : 's'}:`);

  // The floor: a bare node:http server answering every request with a body of Encrypt's size.
  const floor = await startServer(['-e', FLOOR_SERVER]);
  const floorResult = await drive(floor.port, { method: 'POST', path: '/', headers: {}, body: '{}' }, floor.cpuSeconds);
  const floorCpuText = cpuText(floorResult);
  console.log(`  bare node:http server (no KMS work)  ${fmt(floorResult.rps).padStart(10)} req/s   p50 ${floorResult.p50} ms, p99 ${floorResult.p99} ms   (the HTTP floor)${floorCpuText}`);
  await floor.stop();

  // The core path (--no-auth: no signature check, no policy evaluation) and the full access-controlled path,
  // both servers up at once and driven in alternation, ABBA, BENCH_ROUNDS times: whatever else the machine does
  // drifts over a run, and alternating short rounds gives both paths the same share of it. Each figure is the
  // median of its rounds; the ratio is the median of the rounds' own ratios.
  const profile = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const modes = [
    { name: 'core path (--no-auth)', args: ['--no-auth'] },
    { name: 'SigV4 + 3-statement policy + grant + IAM', args: [] },
  ];
  const servers = [];
  for (const mode of modes) servers.push(await startServer([...profile, 'scripts/start-emulator.mjs', '--memory', '--port', '0', '--workers', String(WORKERS), ...mode.args, ...EMULATOR_ARGS]));
  const requests = await Promise.all(servers.map((server) => requestsFor(server.port)));
  console.log(`  (each figure the median of ${ROUNDS} rounds of ${SECONDS} s, the two paths alternated ABBA)`);
  const ratios: Record<string, number> = {};
  const medians: Record<string, LoadResult> = {};
  for (const name of ['Encrypt', 'Decrypt'] as const) {
    if (!OPERATIONS.has(name)) continue;
    const requestOf = (i: number) => requests[i][name === 'Encrypt' ? 'encrypt' : 'decrypt'];
    // A longer first warm-up than the floor's: a fresh emulator (two threads, far more code) needs it before the JIT has settled.
    for (const [i, server] of servers.entries()) await drive(server.port, requestOf(i), server.cpuSeconds, EMULATOR_WARM_UP, 0);
    const rounds: LoadResult[][] = modes.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 4 === 0 || round % 4 === 3 ? [0, 1] : [1, 0];
      for (const i of order) rounds[i].push(await drive(servers[i].port, requestOf(i), servers[i].cpuSeconds, 1));
    }
    for (const [i, mode] of modes.entries()) {
      const result = (medians[`${name} ${mode.name}`] = medianResult(rounds[i]));
      console.log(
        `  ${name} ${mode.name.padEnd(42)} ${fmt(result.rps).padStart(8)} req/s   p50 ${result.p50} ms, p99 ${result.p99} ms   ${ratio(result.rps, ceiling)}, ${(result.rps / floorResult.rps).toFixed(2)}× HTTP floor${cpuText(result)}`,
      );
    }
    const perRound = rounds[0].map((core, r) => rounds[1][r].rps / core.rps);
    ratios[name] = median(perRound);
    console.log(`    rounds (req/s, core / access control): ${rounds[0].map((core, r) => `${fmt(core.rps)} / ${fmt(rounds[1][r].rps)}`).join(', ')}`);
  }
  for (const server of servers) console.log(`    (the server wrote ${fmt(await server.stop())} request log lines, drained as a log collector would)`);
  const core = medians['Encrypt core path (--no-auth)'];
  if (ratios.Encrypt !== undefined) {
    console.log(`\nEncrypt with access control (SigV4, a 3-statement key policy and a grant evaluated) runs at ${ratios.Encrypt.toFixed(2)}× the core path (median of ${ROUNDS} rounds; target ≥ 0.8).`);
    if (ratios.Decrypt !== undefined) console.log(`Decrypt with access control runs at ${ratios.Decrypt.toFixed(2)}× its core path.`);
    const met = core.rps >= 10_000 && core.p99 < 10;
    console.log(`Target ≥ 10,000 Encrypt req/s over HTTP with p99 < 10 ms (core path): ${met ? 'met' : 'NOT met'} (${fmt(core.rps)} req/s, p99 ${core.p99} ms)`);
  }
  console.log(`Load average at the end: ${load()} (other work on the machine lowers every figure; compare the ratios to the floor of the same run).`);
}

/** `operation` signed for the server on `port`, as wrk replays it (the server still verifies every copy). */
const signed = async (port: number, operation: string, body: object): Promise<LoadRequest> => ({ method: 'POST', path: '/', ...(await signRequest(port, operation, body)) });

/** A key and one signed Encrypt and Decrypt request for it, made through the SDK over HTTP. */
async function requestsFor(port: number) {
  const endpoint = `http://127.0.0.1:${port}`;
  const remote = new KMSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // A realistic key: three policy statements (root delegation, administrators, users) and a grant, all evaluated per request.
  const keyId = (await remote.send(new CreateKeyCommand({ Description: 'bench', Policy: BENCH_POLICY }))).KeyMetadata!.KeyId!;
  await remote.send(new CreateGrantCommand({ KeyId: keyId, ...BENCH_GRANT }));
  const blob = (await remote.send(new EncryptCommand({ KeyId: keyId, Plaintext: PAYLOAD }))).CiphertextBlob!;
  remote.destroy();
  return {
    encrypt: await signed(port, 'Encrypt', { KeyId: keyId, Plaintext: PAYLOAD.toString('base64') }),
    decrypt: await signed(port, 'Decrypt', { CiphertextBlob: Buffer.from(blob).toString('base64') }),
  };
}

await main();
