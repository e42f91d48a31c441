/**
 * Durability of the standalone emulator's data dir: what was acknowledged before a `kill -9` is there after
 * a restart — ciphertexts across two key-material versions, an alias, a rotation — and no plaintext is on disk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorExit, type EmulatorProcess } from './test-support/emulator-process';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const MESSAGES = 1_000;
const CONCURRENCY = 16;
const ALIAS = 'alias/durable-restart';
/** A marker in every message, searched for in the raw bytes of the data dir. */
const MARKER = 'durable-plaintext-marker';

const client = (emulator: EmulatorProcess) =>
  new KMSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Every file of the data dir, by name, as raw bytes. */
const readDataDir = (dir: string) => new Map(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]));

describe('the emulator restarted on its data dir after kill -9', () => {
  const messages = Array.from({ length: MESSAGES }, (_, i) => `${MARKER} #${i} ${crypto.randomUUID()}`);
  const contextOf = (i: number) => ({ message: String(i) });
  let dataDir: string;
  let keyId: string;
  let originalMaterialId: string;
  let ciphertexts: Uint8Array[];
  let killed: EmulatorExit;
  let filesAfterKill: Map<string, Buffer>;
  let restarted: EmulatorProcess;
  let kms: KMSClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-restart-'));
    const first = await startEmulator(['--data-dir', dataDir, '--quiet']);
    const before = client(first);
    try {
      const { KeyMetadata } = await before.send(new CreateKeyCommand({ Description: 'durability: survives kill -9' }));
      keyId = KeyMetadata!.KeyId!;
      originalMaterialId = KeyMetadata!.CurrentKeyMaterialId!;
      await before.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: keyId }));
      await before.send(new EnableKeyRotationCommand({ KeyId: keyId }));

      const encrypt = (message: string, i: number) =>
        before.send(new EncryptCommand({ KeyId: ALIAS, Plaintext: Buffer.from(message), EncryptionContext: contextOf(i) })).then((out) => out.CiphertextBlob!);
      const half = MESSAGES / 2;
      const firstHalf = await mapLimit(messages.slice(0, half), CONCURRENCY, encrypt);
      await before.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      const secondHalf = await mapLimit(messages.slice(half), CONCURRENCY, (m, i) => encrypt(m, half + i));
      ciphertexts = [...firstHalf, ...secondHalf];
    } finally {
      before.destroy();
      // No graceful shutdown: the process dies right after the last response.
      killed = await first.stop('SIGKILL');
    }
    filesAfterKill = readDataDir(dataDir);

    restarted = await startEmulator(['--data-dir', dataDir, '--quiet']);
    kms = client(restarted);
  }, 90_000);

  afterAll(async () => {
    kms?.destroy();
    const exit = await restarted?.stop('SIGTERM');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('the first server was killed by SIGKILL, leaving its acknowledged writes only in the journal', () => {
    expect(killed).toEqual({ code: null, signal: 'SIGKILL' });
    expect(ciphertexts).toHaveLength(MESSAGES);
    // No clean shutdown and no restart yet, so nothing was compacted: CreateKey, CreateAlias,
    // EnableKeyRotation and RotateKeyOnDemand are each one journal record.
    expect(filesAfterKill.has('snapshot.json')).toBe(false);
    const records = filesAfterKill.get('journal.jsonl')!.toString('utf8').trim().split('\n');
    expect(records).toHaveLength(4);
  });

  it('every ciphertext from before a kill -9 decrypts to its message after restart, without a KeyId', async () => {
    const decrypted = await mapLimit(ciphertexts, CONCURRENCY, (blob, i) => kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: contextOf(i) })));
    const mismatches = decrypted.map((out, i) => (Buffer.from(out.Plaintext!).toString() === messages[i] ? -1 : i)).filter((i) => i >= 0);
    expect(mismatches).toEqual([]);
    for (const out of decrypted) expect(out.KeyId).toMatch(new RegExp(`:key/${keyId}$`));

    // The ciphertexts span two key-material versions: the original before the rotation, the new one after.
    const materials = decrypted.map((out) => out.KeyMaterialId);
    expect(new Set(materials.slice(0, MESSAGES / 2))).toEqual(new Set([originalMaterialId]));
    const [rotatedMaterialId, ...others] = new Set(materials.slice(MESSAGES / 2));
    expect(others).toEqual([]);
    expect(rotatedMaterialId).not.toBe(originalMaterialId);
  });

  it('the alias still resolves to the key after restart', async () => {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: ALIAS }));
    expect(KeyMetadata).toMatchObject({ KeyId: keyId, KeyState: 'Enabled' });
    const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: keyId }));
    expect(Aliases?.map((a) => a.AliasName)).toEqual([ALIAS]);
  });

  it('automatic rotation stays enabled and ListKeyRotations still shows the on-demand rotation', async () => {
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }));
    expect(Rotations).toEqual([expect.objectContaining({ KeyId: keyId, RotationType: 'ON_DEMAND', KeyMaterialState: 'CURRENT' })]);
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata!.CurrentKeyMaterialId).toBe(Rotations![0].KeyMaterialId);
  });

  it('the root key file is readable and writable by its owner only (mode 0600)', () => {
    const stat = fs.statSync(path.join(dataDir, 'root.key'));
    expect((stat.mode & 0o777).toString(8)).toBe('600');
    expect(stat.size).toBe(32);
  });

  it('neither the journal nor the snapshot contains a plaintext, before or after restart', () => {
    const states = { 'after kill -9': filesAfterKill, 'after restart': readDataDir(dataDir) };
    for (const [when, files] of Object.entries(states)) {
      const stored = [...files.keys()].filter((name) => name !== 'root.key');
      // The journal holds the acknowledged writes after the kill; the restart compacts them into the snapshot.
      expect(stored, when).toEqual(expect.arrayContaining(['journal.jsonl']));
      for (const name of stored) {
        const bytes = files.get(name)!;
        for (const needle of [MARKER, Buffer.from(MARKER).toString('hex')]) expect(bytes.includes(needle), `${when}: ${name} contains ${needle}`).toBe(false);
        const leaked = messages.filter((m) => bytes.includes(m) || bytes.includes(Buffer.from(m).toString('base64')));
        expect(leaked, `${when}: ${name}`).toEqual([]);
      }
    }
    // cloudtrail.sqlite (with its write-ahead log while open) holds the CloudTrail events, also checked above for plaintexts.
    const names = [...readDataDir(dataDir).keys()].filter((name) => !/^cloudtrail\.sqlite-(wal|shm)$/.test(name));
    expect(names.sort()).toEqual(['cloudtrail.sqlite', 'journal.jsonl', 'root.key', 'snapshot.json']);
  });
});
