/**
 * The CLI twins the playground shows, run for real: the machine's AWS CLI and OpenSSL against `npm run
 * emulator`, reading what the playground's own calls (lib/playground/operations.ts, through the SDK) wrote,
 * and the other way round. Each must give the same result.
 */
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, KMSClient, type KeySpec, type KeyUsageType } from '@aws-sdk/client-kms';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from '@/scripts/test-support/emulator-process';
import { cliText, cliTwin, opensslVerify, shellQuote, type CliOperation, type CliTarget } from './cli';
import * as ops from './operations';
import { findCallEvent } from './trail';

const REGION = 'eu-west-2';

describe('cliTwin (pure)', () => {
  it('fills in --endpoint-url and the demo credentials in demo mode only', () => {
    const demo = cliTwin({ op: 'generate-random', numberOfBytes: 32 }, { mode: 'demo', region: 'us-east-1', endpointUrl: 'http://localhost:3000/api/kms' });
    expect(cliText(demo)).toBe(
      'export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test\n' +
        'aws kms generate-random --number-of-bytes 32 --region us-east-1 --endpoint-url http://localhost:3000/api/kms --query Plaintext --output text | base64 --decode > random.bin',
    );
    const aws = cliTwin({ op: 'generate-random', numberOfBytes: 32 }, { mode: 'aws', region: 'eu-west-1', endpointUrl: 'http://ignored' });
    expect(cliText(aws)).toBe('aws kms generate-random --number-of-bytes 32 --region eu-west-1 --query Plaintext --output text | base64 --decode > random.bin');
  });

  it('quotes what the shell would otherwise split or expand', () => {
    expect(shellQuote('alias/orders-db')).toBe('alias/orders-db');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    const twin = cliTwin({ op: 'encrypt', keyId: 'alias/x', encryptionContext: { team: "o'rders" } }, { mode: 'aws', region: 'us-east-1' });
    expect(twin.commands[0]).toContain(`--encryption-context '{"team":"o'\\''rders"}'`);
  });

  it('has no OpenSSL command where OpenSSL 3.0 cannot verify', () => {
    expect(opensslVerify('ML_DSA_SHAKE_256', 'RAW').commands).toBeNull();
    expect(opensslVerify('ED25519_PH_SHA_512', 'DIGEST').commands).toBeNull();
    expect(opensslVerify('ECDSA_SHA_384', 'RAW').commands?.[1]).toBe('openssl dgst -sha384 -verify public-key.pem -signature signature.bin message.bin');
  });
});

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', command], { cwd, env, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const missing = (file: string, args: string[]) => {
  const probe = spawnSync(file, args, { encoding: 'utf8' });
  return probe.error || probe.status !== 0;
};
const toolsMissing = missing('aws', ['--version']) || missing('openssl', ['version']);
if (toolsMissing) console.warn('lib/playground/cli.test.ts: skipping the CLI runs: the AWS CLI or OpenSSL is missing');

describe.skipIf(toolsMissing)('the shown CLI commands, run against npm run emulator', () => {
  let emulator: EmulatorProcess;
  let kms: KMSClient;
  let cloudtrail: CloudTrailClient;
  let work: string;
  let target: CliTarget;
  // A hermetic CLI: no credentials but the twin's own setup line, no profile or config from the machine.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  Object.assign(env, { AWS_PAGER: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });

  /** Runs the twin as the page shows it (setup line included) in the work directory. */
  async function runTwin(operation: CliOperation): Promise<string> {
    const result = await run(cliText(cliTwin(operation, target)), work, env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout.trim();
  }
  const file = (name: string) => path.join(work, name);
  const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64');
  const createKey = async (KeySpec: KeySpec, KeyUsage: KeyUsageType) => (await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!.KeyId!;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'keydeck-playground-cli-'));
    emulator = await startEmulator(['--memory', '--quiet']);
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    kms = new KMSClient({ endpoint: emulator.endpoint, region: REGION, credentials });
    cloudtrail = new CloudTrailClient({ endpoint: emulator.endpoint, region: REGION, credentials });
    target = { mode: 'demo', region: REGION, endpointUrl: emulator.endpoint };
  });

  afterAll(async () => {
    kms?.destroy();
    cloudtrail?.destroy();
    await emulator?.stop('SIGTERM');
    await rm(work, { recursive: true, force: true });
  });

  it('decrypt: the CLI decrypts what the playground encrypted, with the context; the playground decrypts the CLI’s', async () => {
    const keyId = await createKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const context = { purpose: 'training', "team's": 'orders and more' };
    const plaintext = Buffer.from('the playground wrote this');
    const encrypted = await ops.encrypt(kms, 'demo', { region: REGION, keyId, plaintext: b64(plaintext), encryptionContext: context });
    await writeFile(file('ciphertext.bin'), Buffer.from(String(encrypted.response.CiphertextBlob), 'base64'));
    await runTwin({ op: 'decrypt', keyId, encryptionContext: context });
    expect(await readFile(file('decrypted.bin'))).toEqual(plaintext);

    // Without the context the CLI fails just as the playground would.
    const refused = await run(cliText(cliTwin({ op: 'decrypt', keyId }, target)), work, env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('InvalidCiphertextException');

    await writeFile(file('plaintext.bin'), 'the CLI wrote this');
    await runTwin({ op: 'encrypt', keyId, encryptionContext: context });
    const decrypted = await ops.decrypt(kms, 'demo', { region: REGION, ciphertext: b64(await readFile(file('ciphertext.bin'))), encryptionContext: context });
    expect(Buffer.from(String(decrypted.response.Plaintext), 'base64').toString()).toBe('the CLI wrote this');
  });

  it('re-encrypt: the CLI moves a playground ciphertext to another key and context', async () => {
    const source = await createKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const destination = await createKey('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT');
    const encrypted = await ops.encrypt(kms, 'demo', { region: REGION, keyId: source, plaintext: b64(Buffer.from('move me')), encryptionContext: { a: '1' } });
    await writeFile(file('ciphertext.bin'), Buffer.from(String(encrypted.response.CiphertextBlob), 'base64'));
    await runTwin({ op: 're-encrypt', sourceKeyId: source, destinationKeyId: destination, sourceEncryptionContext: { a: '1' }, destinationEncryptionContext: { b: '2' } });
    const decrypted = await ops.decrypt(kms, 'demo', { region: REGION, keyId: destination, ciphertext: b64(await readFile(file('reencrypted.bin'))), encryptionContext: { b: '2' } });
    expect(decrypted.response.KeyId).toContain(destination);
    expect(Buffer.from(String(decrypted.response.Plaintext), 'base64').toString()).toBe('move me');
  });

  it('generate-random writes that many bytes', async () => {
    await runTwin({ op: 'generate-random', numberOfBytes: 48 });
    expect((await readFile(file('random.bin'))).length).toBe(48);
  });

  it.each([
    ['RSA_2048', 'RSASSA_PSS_SHA_256', 'RAW'],
    ['RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_384', 'DIGEST'],
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'RAW'],
    ['ECC_NIST_P384', 'ECDSA_SHA_384', 'DIGEST'],
    ['ECC_NIST_EDWARDS25519', 'ED25519_SHA_512', 'RAW'],
  ] as const)('sign/verify %s %s %s: the CLI and OpenSSL verify the playground’s signature; the playground verifies the CLI’s', async (spec, algorithm, messageType) => {
    const keyId = await createKey(spec, 'SIGN_VERIFY');
    const text = Buffer.from(`release 1.2.3 signed with ${algorithm}`);
    const hash = /_(256|384|512)$/.exec(algorithm)![1];
    const message = messageType === 'DIGEST' ? crypto.createHash(`sha${hash}`).update(text).digest() : text;
    await writeFile(file('message.bin'), message);
    const signed = await ops.sign(kms, 'demo', { region: REGION, keyId, message: b64(message), messageType, signingAlgorithm: algorithm });
    await writeFile(file('signature.bin'), Buffer.from(String(signed.response.Signature), 'base64'));
    expect(await runTwin({ op: 'verify', keyId, messageType, signingAlgorithm: algorithm })).toBe('True');

    await runTwin({ op: 'get-public-key', keyId });
    const openssl = opensslVerify(algorithm, messageType);
    expect(openssl.commands).not.toBeNull();
    const verified = await run(openssl.commands!.join('\n'), work, env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/Verified OK|Signature Verified Successfully/);

    // A different message fails outside KMS too.
    await writeFile(file('message.bin'), Buffer.concat([message.subarray(0, message.length - 1), Buffer.from([message[message.length - 1] ^ 1])]));
    expect((await run(openssl.commands!.join('\n'), work, env)).code).not.toBe(0);

    await writeFile(file('message.bin'), message);
    await runTwin({ op: 'sign', keyId, messageType, signingAlgorithm: algorithm });
    const check = await ops.verify(kms, 'demo', { region: REGION, keyId, message: b64(message), messageType, signingAlgorithm: algorithm, signature: b64(await readFile(file('signature.bin'))) });
    expect(check.response.SignatureValid).toBe(true);
  });

  it('generate-mac gives the playground’s MAC byte for byte; verify-mac accepts it', async () => {
    const keyId = await createKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    const message = Buffer.from('webhook body');
    await writeFile(file('message.bin'), message);
    const mac = await ops.generateMac(kms, 'demo', { region: REGION, keyId, message: b64(message), macAlgorithm: 'HMAC_SHA_256' });
    await runTwin({ op: 'generate-mac', keyId, macAlgorithm: 'HMAC_SHA_256' });
    expect(b64(await readFile(file('mac.bin')))).toBe(mac.response.Mac);
    expect(await runTwin({ op: 'verify-mac', keyId, macAlgorithm: 'HMAC_SHA_256' })).toBe('True');
  });

  it('derive-shared-secret gives the playground’s secret, which the peer computes too', async () => {
    const keyId = await createKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    const peer = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const peerDer = peer.publicKey.export({ type: 'spki', format: 'der' });
    await writeFile(file('peer-public-key.der'), peerDer);
    const derived = await ops.deriveSharedSecret(kms, 'demo', { region: REGION, keyId, keyAgreementAlgorithm: 'ECDH', publicKey: b64(peerDer) });
    await runTwin({ op: 'derive-shared-secret', keyId, keyAgreementAlgorithm: 'ECDH' });
    expect(b64(await readFile(file('shared-secret.bin')))).toBe(derived.response.SharedSecret);
    const kmsPublic = await ops.getPublicKey(kms, 'demo', { region: REGION, keyId });
    const theirs = crypto.diffieHellman({ privateKey: peer.privateKey, publicKey: crypto.createPublicKey({ key: Buffer.from(String(kmsPublic.response.PublicKey), 'base64'), format: 'der', type: 'spki' }) });
    expect(b64(theirs)).toBe(derived.response.SharedSecret);
  });

  it('lookup-events shows the CloudTrail event the playground found for a call', async () => {
    const call = await ops.generateRandom(kms, 'demo', { region: REGION, numberOfBytes: 16 });
    const event = await findCallEvent(cloudtrail, { eventName: 'GenerateRandom', requestId: call.requestId!, since: call.at });
    expect(event?.record.requestID).toBe(call.requestId);
    expect(JSON.stringify(event?.record)).not.toContain(String(call.response.Plaintext)); // CloudTrail never holds the bytes
    const out = JSON.parse(await runTwin({ op: 'lookup-events', eventName: 'GenerateRandom', startTime: new Date(call.at - 60_000).toISOString() })) as { Events: { EventId: string }[] };
    expect(out.Events.map((e) => e.EventId)).toContain(event!.eventId);
  });
});
