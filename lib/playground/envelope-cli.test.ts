/**
 * `npm run envelope` (scripts/envelope.ts) against `npm run emulator`: a round trip with an encryption
 * context, its files readable by the shared format code the browser runs, and refusals that leave no output.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from '@/scripts/test-support/emulator-process';
import { bytesSource, decryptEnvelope, encryptEnvelope, readHeader } from './envelope-format';
import { generateDataKey, unwrapDataKey } from './envelope-kms';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REGION = 'eu-west-1';

function envelope(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/envelope.ts'), ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run envelope', () => {
  let emulator: EmulatorProcess;
  let kms: KMSClient;
  let work: string;
  let keyId: string;
  const exists = (file: string) => stat(file).then(() => true, () => false);

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'keydeck-envelope-cli-'));
    emulator = await startEmulator(['--memory', '--quiet']);
    kms = new KMSClient({ endpoint: emulator.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });

  afterAll(async () => {
    kms?.destroy();
    await emulator?.stop('SIGTERM');
    await rm(work, { recursive: true, force: true });
  });

  it('encrypts and decrypts a file with a context; the format code opens its envelope and it opens the format code’s', async () => {
    const input = path.join(work, 'in.bin');
    const plaintext = crypto.randomBytes(3 * 1024 * 1024 + 5);
    await writeFile(input, plaintext);
    const sealed = path.join(work, 'in.bin.kdenv');
    const enc = await envelope(['encrypt', '--key', keyId, '--in', input, '--out', sealed, '--context', 'team=orders', '--context', 'env=prod', '--endpoint-url', emulator.endpoint, '--region', REGION]);
    expect(enc.stderr).toBe('');
    expect(enc.code).toBe(0);
    expect(enc.stdout).toMatch(/^encrypted .* with arn:aws:kms:eu-west-1:111122223333:key\/.* MB\/s, peak RSS \d+ MB\n$/);

    const bytes = new Uint8Array(await readFile(sealed));
    expect((await readHeader(bytesSource(bytes))).header.encryptionContext).toEqual({ team: 'orders', env: 'prod' });
    const parts: Uint8Array[] = [];
    await decryptEnvelope({ source: bytesSource(bytes), sink: (b) => void parts.push(b.slice()), unwrap: (h) => unwrapDataKey(kms, h) });
    expect(Buffer.concat(parts).equals(plaintext)).toBe(true);

    // No --region: decrypt takes it from the key ARN in the header.
    const out = path.join(work, 'out.bin');
    const dec = await envelope(['decrypt', '--in', sealed, '--out', out, '--endpoint-url', emulator.endpoint]);
    expect(dec.code).toBe(0);
    expect((await readFile(out)).equals(plaintext)).toBe(true);

    // An envelope written by the format code directly (as the browser writes it) opens in the CLI.
    const dataKey = await generateDataKey(kms, keyId, { from: 'browser' });
    const written: Uint8Array[] = [];
    await encryptEnvelope({ source: bytesSource(plaintext), sink: (b) => void written.push(b.slice()), dataKey: dataKey.plaintext, keyArn: dataKey.keyArn, encryptedDataKey: dataKey.encrypted, encryptionContext: { from: 'browser' } });
    await writeFile(path.join(work, 'browser.kdenv'), Buffer.concat(written));
    const fromBrowser = await envelope(['decrypt', '--in', path.join(work, 'browser.kdenv'), '--out', path.join(work, 'browser.out'), '--endpoint-url', emulator.endpoint]);
    expect(fromBrowser.code).toBe(0);
    expect((await readFile(path.join(work, 'browser.out'))).equals(plaintext)).toBe(true);
  });

  it('a tampered envelope fails with the chunk named and leaves no output file', async () => {
    const input = path.join(work, 'small.bin');
    await writeFile(input, crypto.randomBytes(2 * 1024 * 1024));
    const sealed = path.join(work, 'small.kdenv');
    expect((await envelope(['encrypt', '--key', keyId, '--in', input, '--out', sealed, '--endpoint-url', emulator.endpoint, '--region', REGION])).code).toBe(0);
    const bytes = await readFile(sealed);
    bytes[bytes.length - 10] ^= 1;
    await writeFile(sealed, bytes);
    const out = path.join(work, 'small.out');
    const dec = await envelope(['decrypt', '--in', sealed, '--out', out, '--endpoint-url', emulator.endpoint]);
    expect(dec.code).toBe(1);
    expect(dec.stderr).toBe('EnvelopeFormatError: Chunk 1 failed authentication: the file was modified, truncated or reordered, or the header does not belong to it.\n');
    expect(await exists(out)).toBe(false);
  });

  it('names the KMS exception when the key cannot be used, and explains its arguments', async () => {
    const input = path.join(work, 'x.bin');
    await writeFile(input, 'x');
    const missing = await envelope(['encrypt', '--key', 'alias/does-not-exist', '--in', input, '--out', path.join(work, 'x.kdenv'), '--endpoint-url', emulator.endpoint, '--region', REGION]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^NotFoundException: /);
    expect(await exists(path.join(work, 'x.kdenv'))).toBe(false);
    const usage = await envelope(['sign', '--in', input]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('usage: npm run envelope -- encrypt --key');
  });
});
