/**
 * `npm run bench:envelope`: envelope encryption throughput and peak memory of the two paths that write
 * the format — the CLI (`npm run envelope`, Node) and the browser (the playground, headless Chromium,
 * WebCrypto, output to the origin private file system) — on a generated file (BENCH_MB, default 1024: the
 * issue's memory target is at 1 GB), against the built console in demo mode. The ceiling is raw AES-256-GCM in Node (node:crypto, 1 MiB
 * chunks in memory, no I/O). Prints figures; asserts nothing. BENCH_SKIP_BUILD=1 reuses the last build.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { chromium, type Page } from '@playwright/test';
import { signInDemoPersona } from './browser-session';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SIZE_MB = Number(process.env.BENCH_MB ?? 1024);
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const REGION = 'us-east-1';
const ROOT = path.resolve(import.meta.dirname, '..');
const MiB = 1024 * 1024;

const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const fmt = (n: number) => n.toFixed(1).padStart(7);

/** Raw AES-256-GCM over `total` bytes in 1 MiB chunks, one cipher per chunk as the envelope does: the ceiling. */
function ceilingNodeCrypto(total: number): number {
  const key = crypto.randomBytes(32);
  const chunk = crypto.randomBytes(MiB);
  const started = performance.now();
  for (let done = 0, i = 0; done < total; done += MiB, i++) {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(i, 8);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.update(chunk);
    cipher.final();
    cipher.getAuthTag();
  }
  return mbps(total, performance.now() - started);
}

/** The same through WebCrypto in Node (what lib/playground/envelope-format.ts calls), for reference. */
async function webCryptoNode(total: number): Promise<number> {
  const key = await crypto.webcrypto.subtle.importKey('raw', crypto.randomBytes(32), { name: 'AES-GCM' }, false, ['encrypt']);
  const chunk = crypto.randomBytes(MiB);
  const started = performance.now();
  for (let done = 0, i = 0; done < total; done += MiB, i++) {
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(8, i);
    await crypto.webcrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new Uint8Array(41) }, key, chunk);
  }
  return mbps(total, performance.now() - started);
}

function writeRandomFile(file: string, megabytes: number) {
  const fd = fs.openSync(file, 'w');
  const block = crypto.randomBytes(MiB);
  for (let i = 0; i < megabytes; i++) {
    block.writeUInt32BE(i, 0); // no two blocks alike
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
}

interface CliRun {
  wallMs: number;
  reportedMbps: number;
  peakRssMb: number;
}

function runCli(args: string[]): CliRun {
  const started = performance.now();
  const out = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/envelope.ts'), ...args, '--endpoint-url', `${ORIGIN}/api/kms`, '--region', REGION, '--quiet'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (out.status !== 0) throw new Error(`npm run envelope ${args[0]} failed: ${out.stderr}`);
  const m = /, ([\d.]+) MB\/s, peak RSS (\d+) MB/.exec(out.stdout);
  if (!m) throw new Error(`unexpected output: ${out.stdout}`);
  return { wallMs, reportedMbps: Number(m[1]), peakRssMb: Number(m[2]) };
}

/** Chromium's processes among the descendants of `root`, with their type (browser, renderer, gpu-process, utility …). */
function chromiumProcesses(root: number): { pid: number; type: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out: { pid: number; type: string }[] = [];
  const walk = (pid: number) => {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return;
    }
    if (/chrom/i.test(cmdline.split('\0')[0] ?? '')) out.push({ pid, type: /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser' });
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return out;
}

const statusKb = (pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile' | 'RssShmem' | 'VmSwap') => {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

/** Samples Chromium's memory every 50 ms while `work` runs: the largest renderer (the tab), the browser process, and all together. */
interface Memory {
  /** Peak RSS of the largest renderer (the tab). */
  tabMb: number;
  /**
   * Peak memory footprint of the tab as Chromium counts it (its Task Manager's "Memory footprint"): resident
   * minus shared, plus swap — on Linux RssAnon + VmSwap (base/android/pmf_utils.cc, memory_instrumentation).
   * The rest of RSS is file pages (Chromium's own code and fonts, shared with every process) and shared memory.
   */
  tabFootprintMb: number;
  /** The tab's peak file-backed and shared-memory resident pages, to show what RSS adds to the footprint. */
  tabFileMb: number;
  tabShmemMb: number;
  browserMb: number;
  browserAnonMb: number;
  /** Peak of the sum of private memory over all Chromium processes. */
  totalMb: number;
}

async function withMemory<T>(root: number, work: () => Promise<T>): Promise<Memory & { result: T }> {
  const procs = chromiumProcesses(root);
  // Reset the high-water marks so each phase reports its own peak (clear_refs 5: Linux ≥ 4.0).
  for (const p of procs) {
    try {
      fs.writeFileSync(`/proc/${p.pid}/clear_refs`, '5');
    } catch {
      // not permitted: the sampled figures below still hold
    }
  }
  let tab = 0;
  let tabFootprint = 0;
  let tabFile = 0;
  let tabShmem = 0;
  let browser = 0;
  let browserAnon = 0;
  let total = 0;
  const sample = () => {
    let sum = 0;
    for (const p of chromiumProcesses(root)) {
      const rss = statusKb(p.pid, 'VmRSS');
      const hwm = statusKb(p.pid, 'VmHWM');
      const anon = statusKb(p.pid, 'RssAnon');
      sum += anon;
      if (p.type === 'renderer') {
        tab = Math.max(tab, hwm, rss);
        tabFootprint = Math.max(tabFootprint, anon + statusKb(p.pid, 'VmSwap'));
        tabFile = Math.max(tabFile, statusKb(p.pid, 'RssFile'));
        tabShmem = Math.max(tabShmem, statusKb(p.pid, 'RssShmem'));
      }
      if (p.type === 'browser') {
        browser = Math.max(browser, hwm, rss);
        browserAnon = Math.max(browserAnon, anon);
      }
    }
    total = Math.max(total, sum);
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, tabMb: tab / 1024, tabFootprintMb: tabFootprint / 1024, tabFileMb: tabFile / 1024, tabShmemMb: tabShmem / 1024, browserMb: browser / 1024, browserAnonMb: browserAnon / 1024, totalMb: total / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function browserRun(page: Page, kind: 'encrypt' | 'decrypt', file: string): Promise<{ wallMs: number; reportedMbps: number }> {
  const input = kind === 'encrypt' ? page.getByLabel('File to encrypt') : page.getByLabel('Envelope file (.kdenv)');
  await input.setInputFiles(file);
  const name = kind === 'encrypt' ? `${path.basename(file)}.kdenv` : path.basename(file).replace(/\.kdenv$/, '');
  const started = performance.now();
  await page.getByRole('button', { name: kind === 'encrypt' ? 'Envelope-encrypt' : 'Decrypt envelope' }).click();
  await page.getByRole('link', { name: `Download ${name}` }).waitFor({ timeout: 30 * 60_000 });
  const wallMs = performance.now() - started;
  const status = await page.getByText(/MB\/s\), written/).textContent();
  return { wallMs, reportedMbps: Number(/\(([\d.]+) MB\/s\)/.exec(status ?? '')?.[1] ?? 0) };
}

async function waitForServer() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${ORIGIN}/playground`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the console did not start');
}

async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    console.log('building the console (next build)…');
    const build = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bench-envelope-'));
  const total = SIZE_MB * MiB;
  const input = path.join(work, 'bench.bin');
  console.log(`generating ${SIZE_MB} MB …`);
  writeRandomFile(input, SIZE_MB);

  const server = spawn('npx', ['next', 'start', '-p', String(PORT)], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, KEYDECK_MODE: 'demo', KEYDECK_DATA_DIR: path.join(work, 'data'), NEXT_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  // A persistent profile on disk, as a user's browser has: an incognito context (Playwright's default)
  // keeps the origin private file system in memory, which is not what a user of the console runs.
  const profile = path.join(work, 'profile');
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu'],
    acceptDownloads: false,
  });
  try {
    await waitForServer();
    // The playground is an operator's tool: the benchmark signs in as the demo operator.
    await signInDemoPersona(browser, ORIGIN, 'Otto Operator');
    const kms = new KMSClient({ endpoint: `${ORIGIN}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const keyId = (await kms.send(new CreateKeyCommand({ Description: 'bench:envelope' }))).KeyMetadata!.KeyId!;
    kms.destroy();

    const ceiling = ceilingNodeCrypto(total);
    const webcrypto = await webCryptoNode(total);

    const cliEnvelope = path.join(work, 'cli.bin.kdenv');
    const cliEncrypt = runCli(['encrypt', '--key', keyId, '--in', input, '--out', cliEnvelope, '--context', 'bench=envelope']);
    const cliDecrypt = runCli(['decrypt', '--in', cliEnvelope, '--out', path.join(work, 'cli.out')]);
    fs.rmSync(path.join(work, 'cli.out'));

    // Playwright starts Chromium as a child of this process.
    const root = process.pid;
    if (!chromiumProcesses(root).some((p) => p.type === 'renderer' || p.type === 'browser')) throw new Error('no Chromium process to measure');
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${ORIGIN}/playground?region=${REGION}&key=${keyId}`);
    await page.getByRole('tab', { name: 'Envelope (large files)' }).click();
    const idle = await withMemory(root, async () => undefined);
    const enc = await withMemory(root, () => browserRun(page, 'encrypt', input));
    const dec = await withMemory(root, () => browserRun(page, 'decrypt', cliEnvelope));

    const line = (label: string, value: number, extra = '') => console.log(`  ${label.padEnd(44)} ${fmt(value)} MB/s   ${(value / ceiling).toFixed(2)}× ceiling${extra}`);
    console.log(`\nKeydeck envelope benchmark — ${SIZE_MB} MB file, 1 MiB chunks, node ${process.version}, ${os.cpus().length} cores, Chromium ${browser.browser()?.version() ?? ''}\n`);
    line('raw node:crypto AES-256-GCM (ceiling)', ceiling);
    line('WebCrypto AES-GCM in node (same chunks)', webcrypto);
    line('CLI encrypt (npm run envelope)', mbps(total, cliEncrypt.wallMs), `   wall incl. start-up; ${cliEncrypt.reportedMbps} MB/s after start-up; peak RSS ${cliEncrypt.peakRssMb} MB`);
    line('CLI decrypt', mbps(total, cliDecrypt.wallMs), `   wall incl. start-up; ${cliDecrypt.reportedMbps} MB/s after start-up; peak RSS ${cliDecrypt.peakRssMb} MB`);
    const mem = (m: Memory) =>
      `tab (renderer) peak footprint ${m.tabFootprintMb.toFixed(0)} MB; peak RSS ${m.tabMb.toFixed(0)} MB (file ${m.tabFileMb.toFixed(0)} MB, shared memory ${m.tabShmemMb.toFixed(0)} MB), browser process ${m.browserMb.toFixed(0)} MB (private ${m.browserAnonMb.toFixed(0)} MB), all Chromium private ${m.totalMb.toFixed(0)} MB`;
    line('browser encrypt (playground, WebCrypto → OPFS)', mbps(total, enc.result.wallMs), `   ${mem(enc)}`);
    line('browser decrypt', mbps(total, dec.result.wallMs), `   ${mem(dec)}`);
    console.log(`  browser idle on the playground before the runs: ${mem(idle)}`);
    const tabPeak = Math.max(enc.tabFootprintMb, dec.tabFootprintMb);
    const cliPeak = Math.max(cliEncrypt.peakRssMb, cliDecrypt.peakRssMb);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `\nTarget: peak memory < 200 MB — tab footprint ${tabPeak.toFixed(0)} MB (${verdict(tabPeak < 200)}; ${(tabPeak - idle.tabFootprintMb).toFixed(0)} MB above the idle tab), CLI peak RSS ${cliPeak} MB (${verdict(cliPeak < 200)})`,
    );
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
