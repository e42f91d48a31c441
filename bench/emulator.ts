/**
 * `npm run bench:emulator`: the emulator's Encrypt/Decrypt throughput, in process through the SDK and
 * over HTTP on loopback (32 keep-alive connections), each as a ratio to raw node:crypto AES-256-GCM
 * on the same 1 KiB payload measured in the same run. Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import { DecryptCommand, EncryptCommand, KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import autocannon from 'autocannon';
import { createEmulator } from '../lib/emulator/index';

const PAYLOAD = crypto.randomBytes(1024);

/** The Checksum interface SignatureV4 wants, on node:crypto (SHA-256, or HMAC-SHA-256 with a secret). */
class Sha256 {
  private hash: crypto.Hash | crypto.Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh() {
    const s = this.secret;
    if (s === undefined) return crypto.createHash('sha256');
    return crypto.createHmac('sha256', typeof s === 'string' ? s : ArrayBuffer.isView(s) ? new Uint8Array(s.buffer, s.byteOffset, s.byteLength) : new Uint8Array(s));
  }
  update(data: Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.fresh();
  }
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

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
  const start = performance.now();
  const end = start + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number, base: number) => `${(n / base).toFixed(3)}× ceiling`;

async function main() {
  console.log(`Keydeck emulator benchmark — node ${process.version}, ${(await import('node:os')).cpus().length} cores, 1 KiB payload\n`);

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

  // Over HTTP: the standalone server in its own process, as a training class would run it.
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts', '--memory', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let banner = '';
  server.stdout.setEncoding('utf8');
  let lines = 0;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    server.stdout.on('data', (chunk: string) => {
      if (!banner) {
        banner = chunk;
        const m = /127\.0\.0\.1:(\d+)/.exec(chunk);
        if (m) resolve(Number(m[1]));
      } else lines += chunk.split('\n').length - 1; // the per-request log lines, drained as a log collector would
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const remote = new KMSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const remoteKey = (await remote.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata!.KeyId!;
  const remoteBlob = (await remote.send(new EncryptCommand({ KeyId: remoteKey, Plaintext: PAYLOAD }))).CiphertextBlob!;

  const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
  async function signed(operation: string, body: object) {
    const text = JSON.stringify(body);
    const request = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/',
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
      body: text,
    });
    return { method: 'POST' as const, path: '/', headers: request.headers as Record<string, string>, body: text };
  }

  const results: Record<string, { rps: number; p99: number }> = {};
  for (const [name, request] of [
    ['Encrypt', await signed('Encrypt', { KeyId: remoteKey, Plaintext: PAYLOAD.toString('base64') })],
    ['Decrypt', await signed('Decrypt', { CiphertextBlob: Buffer.from(remoteBlob).toString('base64') })],
  ] as const) {
    const result = await autocannon({ url: endpoint, connections: 32, duration: SECONDS, requests: [request] });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name} over HTTP: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
    results[name] = { rps: result.requests.average, p99: result.latency.p99 };
    console.log(
      `HTTP, 32 keep-alive connections: ${name.padEnd(7)} ${fmt(result.requests.average).padStart(10)} req/s   ${ratio(result.requests.average, ceiling)}   p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
  }
  server.kill('SIGTERM');
  await once(server, 'exit');
  console.log(`\n(${fmt(lines)} request log lines written by the server during the run)`);
  const target = results.Encrypt.rps >= 10_000 && results.Encrypt.p99 < 10;
  console.log(`Target ≥ 10,000 Encrypt req/s over HTTP with p99 < 10 ms: ${target ? 'met' : 'NOT met'} (${fmt(results.Encrypt.rps)} req/s, p99 ${results.Encrypt.p99} ms)`);
}

await main();
