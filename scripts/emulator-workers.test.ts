/**
 * The standalone server with data-plane worker threads: every change made on the main thread is seen
 * by the workers' replicas before the next request, whichever connection or worker serves it.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  KMSClient,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  CreateAliasCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from './test-support/emulator-process';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the emulator server with two data-plane workers', () => {
  let emulator: EmulatorProcess;
  let kms: KMSClient;

  beforeAll(async () => {
    emulator = await startEmulator(['--memory', '--workers', '2']);
    kms = new KMSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    kms.destroy();
    expect(await emulator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('announces its workers', () => {
    expect(emulator.stdout()).toContain('2 data-plane worker threads');
  });

  it('uses a key the moment it exists, on every worker', async () => {
    for (let i = 0; i < 10; i++) {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
      const results = await Promise.all(Array.from({ length: 4 }, () => kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: bytes('x') }))));
      expect(results.every((r) => r.KeyId === KeyMetadata!.Arn)).toBe(true);
    }
  });

  it('sees disable, enable and scheduled deletion at once', async () => {
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new DisableKeyCommand({ KeyId }));
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject({ name: 'DisabledException' });
    await kms.send(new EnableKeyCommand({ KeyId }));
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    await expect(kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  });

  it('encrypts under the new key material right after an on-demand rotation, and old ciphertexts still decrypt', async () => {
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const before = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('before') }));
    const firstMaterial = (await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).KeyMaterialId;
    await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    const after = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('after') }));
    const decrypted = await Promise.all([before, after].map((c) => kms.send(new DecryptCommand({ CiphertextBlob: c.CiphertextBlob }))));
    expect(decrypted.map((d) => new TextDecoder().decode(d.Plaintext))).toEqual(['before', 'after']);
    expect(decrypted[1].KeyMaterialId).not.toBe(firstMaterial);
  });

  it('follows an alias moved to another key', async () => {
    const a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: a.KeyId }));
    expect((await kms.send(new EncryptCommand({ KeyId: 'alias/moving', Plaintext: bytes('x') }))).KeyId).toBe(a.Arn);
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/moving', TargetKeyId: b.KeyId }));
    expect((await kms.send(new EncryptCommand({ KeyId: 'alias/moving', Plaintext: bytes('x') }))).KeyId).toBe(b.Arn);
  });

  it('reports a worker’s use of a key through GetKeyLastUsage, and logs the request', async () => {
    const { KeyId } = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const signed = await kms.send(new SignCommand({ KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    const { KeyLastUsage } = await kms.send(new GetKeyLastUsageCommand({ KeyId }));
    expect(KeyLastUsage).toMatchObject({ Operation: 'Sign', KmsRequestId: signed.$metadata.requestId });
    // The log is written in batches, a moment after the response.
    await expect.poll(() => emulator.stdout()).toMatch(new RegExp(`Sign us-east-1 ${KeyId} 200`));
  });
});
