/**
 * The standalone server stops cleanly on SIGINT (Ctrl-C in a terminal) as on SIGTERM: it says so, closes the
 * server and the store, exits with 0, and a restart on the same data dir decrypts what it encrypted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from './test-support/emulator-process';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const client = (e: EmulatorProcess) => new KMSClient({ endpoint: e.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

describe('the emulator server and SIGINT', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-sigint-'));
  let restarted: EmulatorProcess | undefined;
  afterAll(async () => {
    await restarted?.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops cleanly on SIGINT, with exit code 0, and its data survives a restart', async () => {
    const first = await startEmulator(['--data-dir', dataDir, '--quiet']);
    const kms = client(first);
    let ciphertext: Uint8Array | undefined;
    try {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      ciphertext = (await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: new TextEncoder().encode('ctrl-c') }))).CiphertextBlob;
    } finally {
      kms.destroy();
    }
    expect(await first.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(first.stdout()).toContain('SIGINT: stopping the emulator');

    restarted = await startEmulator(['--data-dir', dataDir, '--quiet']);
    const again = client(restarted);
    try {
      const { Plaintext } = await again.send(new DecryptCommand({ CiphertextBlob: ciphertext }));
      expect(new TextDecoder().decode(Plaintext)).toBe('ctrl-c');
    } finally {
      again.destroy();
    }
    expect(await restarted.stop('SIGINT')).toEqual({ code: 0, signal: null });
    restarted = undefined;
  }, 60_000);
});
