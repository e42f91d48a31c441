import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from './index';
import { bytes, text } from './test-support';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-emulator-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('persistence under a data dir', () => {
  it('keeps keys, versions, aliases and tags across a restart; old ciphertexts decrypt', async () => {
    const dataDir = tempDir();
    const first = createEmulator({ dataDir });
    const kms = first.kmsClient();
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 'a', TagValue: 'b' }] }));
    const KeyId = KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: KeyId }));
    const old = await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('before rotation') }));
    await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    const signer = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const { Signature } = await kms.send(new SignCommand({ KeyId: signer.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    await first.close();

    const second = createEmulator({ dataDir });
    const again = second.kmsClient();
    expect((await again.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata).toMatchObject({ KeyId, Description: 'kept' });
    expect(text((await again.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext)).toBe('before rotation');
    expect((await again.send(new ListResourceTagsCommand({ KeyId }))).Tags).toEqual([{ TagKey: 'a', TagValue: 'b' }]);
    expect((await again.send(new ListAliasesCommand({}))).Aliases).toHaveLength(1);
    await expect(again.send(new VerifyCommand({ KeyId: signer.KeyId, Message: bytes('m'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).resolves.toMatchObject({ SignatureValid: true });
    await second.close();
  });

  it('seals key material at rest: no key byte appears in the files, and the root key is mode 0600', async () => {
    const dataDir = tempDir();
    const emulator = createEmulator({ dataDir });
    const kms = emulator.kmsClient();
    await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }));
    await emulator.close();
    expect(fs.statSync(path.join(dataDir, 'root.key')).mode & 0o777).toBe(0o600);
    const journal = fs.readFileSync(path.join(dataDir, 'journal.jsonl'), 'utf8');
    const record = JSON.parse(journal.trim().split('\n')[0]);
    expect(record.value.materials[0]).not.toHaveProperty('material');
    expect(record.value.materials[0].sealed).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('ignores a torn last journal line (a write that was never acknowledged)', async () => {
    const dataDir = tempDir();
    const emulator = createEmulator({ dataDir });
    const { KeyId } = (await emulator.kmsClient().send(new CreateKeyCommand({}))).KeyMetadata!;
    await emulator.close();
    fs.appendFileSync(path.join(dataDir, 'journal.jsonl'), '{"t":"key","region":"us-east-1","id":"trunc');
    const reopened = createEmulator({ dataDir });
    await expect(reopened.kmsClient().send(new DescribeKeyCommand({ KeyId }))).resolves.toBeDefined();
    await reopened.close();
  });

  it('refuses to start on a data dir whose root key does not open the key material', async () => {
    const dataDir = tempDir();
    const emulator = createEmulator({ dataDir });
    await emulator.kmsClient().send(new CreateKeyCommand({}));
    await emulator.close();
    fs.writeFileSync(path.join(dataDir, 'root.key'), Buffer.alloc(32, 7));
    expect(() => createEmulator({ dataDir })).toThrow(/cannot be unsealed with .*root\.key/);
  });
});
