/**
 * `npm run envelope -- encrypt|decrypt --key <id|alias> --in F --out G [--context k=v …] [--endpoint-url …] [--region …]`
 * Envelope encryption from the command line, in the format the playground writes in the browser
 * (docs/envelope-format.md): a file made by one opens in the other. With --endpoint-url (the console's
 * /api/kms or `npm run emulator`) it talks to the demo emulator, with test/test unless AWS_* credentials
 * are set; without it, to AWS with the standard credential chain. Memory stays flat: one chunk at a time.
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { DEFAULT_CHUNK_SIZE, decryptEnvelope, encryptEnvelope, type RandomAccessSource } from '@/lib/playground/envelope-format';
import { generateDataKey, unwrapDataKey } from '@/lib/playground/envelope-kms';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `usage: npm run envelope -- encrypt --key <id|alias|arn> --in <file> --out <file> [--context k=v ...] [--chunk-size bytes] [--endpoint-url URL] [--region R]
       npm run envelope -- decrypt --in <file> --out <file> [--endpoint-url URL] [--region R]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    key: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    context: { type: 'string', multiple: true },
    'chunk-size': { type: 'string' },
    'endpoint-url': { type: 'string' },
    region: { type: 'string' },
    quiet: { type: 'boolean' },
  },
});

const verb = positionals[0];
if (verb !== 'encrypt' && verb !== 'decrypt') fail(USAGE);
if (!values.in || !values.out) fail(USAGE);
if (verb === 'encrypt' && !values.key) fail(`encrypt needs --key\n${USAGE}`);

const context: Record<string, string> = {};
for (const pair of values.context ?? []) {
  const eq = pair.indexOf('=');
  if (eq <= 0) fail(`--context takes key=value, not "${pair}"`);
  context[pair.slice(0, eq)] = pair.slice(eq + 1);
}

function client(region: string): KMSClient {
  const endpoint = values['endpoint-url'];
  if (!endpoint) return new KMSClient({ region });
  const credentials = process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY, sessionToken: process.env.AWS_SESSION_TOKEN }
    : { accessKeyId: 'test', secretAccessKey: 'test' };
  return new KMSClient({ region, endpoint, credentials });
}

async function fileSource(path: string): Promise<{ source: RandomAccessSource; close: () => Promise<void> }> {
  const handle = await fs.open(path, 'r');
  const { size } = await handle.stat();
  return {
    source: {
      size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
          if (bytesRead === 0) throw new Error(`${path} shrank while being read`);
          done += bytesRead;
        }
        return buffer;
      },
    },
    close: () => handle.close(),
  };
}

const progress = (verbing: string) => {
  if (values.quiet || !process.stderr.isTTY) return undefined;
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (now - last < 200 && done !== total) return;
    last = now;
    process.stderr.write(`\r${verbing} ${Math.floor((done / Math.max(total, 1)) * 100)}% (${(done / 1048576).toFixed(0)} MB)`);
    if (done === total) process.stderr.write('\n');
  };
};

async function main() {
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const input = await fileSource(values.in!);
  // Written beside the target and renamed at the end: a failed run leaves no partial output behind.
  const partial = `${values.out}.partial-${process.pid}`;
  const output = await fs.open(partial, 'w');
  const sink = async (bytes: Uint8Array) => {
    await output.write(bytes);
  };
  const started = performance.now();
  let kms: KMSClient | undefined;
  try {
    let written: number;
    let keyArn: string;
    if (verb === 'encrypt') {
      kms = client(region);
      const chunkSize = values['chunk-size'] ? Number(values['chunk-size']) : DEFAULT_CHUNK_SIZE;
      const dataKey = await generateDataKey(kms, values.key!, context);
      keyArn = dataKey.keyArn;
      written = await encryptEnvelope({
        source: input.source,
        sink,
        dataKey: dataKey.plaintext, // zeroed once imported
        keyArn,
        encryptedDataKey: dataKey.encrypted,
        encryptionContext: context,
        chunkSize,
        onProgress: progress('encrypting'),
      });
    } else {
      let arn = '';
      written = await decryptEnvelope({
        source: input.source,
        sink,
        unwrap: (header) => {
          arn = header.keyArn;
          // The key's region is in its ARN; --region only matters for encrypt.
          kms = client(values.region ?? header.keyArn.split(':')[3] ?? region);
          return unwrapDataKey(kms, header);
        },
        onProgress: progress('decrypting'),
      });
      keyArn = arn;
    }
    await output.close();
    await fs.rename(partial, values.out!);
    const seconds = (performance.now() - started) / 1000;
    const mb = input.source.size / 1048576;
    process.stdout.write(
      `${verb}ed ${values.in} (${input.source.size} bytes) → ${values.out} (${written} bytes) with ${keyArn} in ${seconds.toFixed(2)} s, ${(mb / seconds).toFixed(1)} MB/s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
    );
  } catch (error) {
    await output.close().catch(() => undefined);
    await fs.rm(partial, { force: true });
    const e = error as Error;
    fail(`${e.name}: ${e.message}`);
  } finally {
    await input.close();
    kms?.destroy();
  }
}

await main();
