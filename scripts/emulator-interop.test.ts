/**
 * The standalone emulator over HTTP, driven by real clients — the AWS CLI, boto3 and the JS SDK — with
 * its public-key results checked outside KMS by OpenSSL and Python's `cryptography`.
 */
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  type KeySpec,
  type KeyUsageType,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from './test-support/emulator-process';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Every plaintext this file sends contains this marker, so the request log can be searched for it. */
const SECRET = 'top-secret-payload-123';
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; resolves with its exit code instead of throwing on failure. */
function run(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 16 << 20, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error); // could not start it, or it was killed
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** Why a tool is unusable here, or undefined when it works. */
function unusable(file: string, args: string[]): string | undefined {
  const probe = spawnSync(file, args, { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return `\`${file} ${args.join(' ')}\` failed to start: ${probe.error.message}`;
  if (probe.status !== 0) return `\`${file} ${args.join(' ')}\` exited with ${probe.status}: ${probe.stderr.trim()}`;
  return undefined;
}

function skipReason(block: string, reason: string | undefined): boolean {
  if (reason) console.warn(`emulator-interop: skipping "${block}": ${reason}`);
  return reason !== undefined;
}

const awsMissing = unusable('aws', ['--version']);
const pythonMissing = unusable('python3', ['-c', 'import boto3, cryptography']);
const cryptographyMissing = unusable('python3', ['-c', 'import cryptography']);
const opensslMissing = unusable('openssl', ['version']);

let emulator: EmulatorProcess;
let sdk: KMSClient;
let work: string;

/** The request-log lines the server has written, banner excluded. */
const logLines = () =>
  emulator
    .stdout()
    .split('\n')
    .filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));

/** Waits until the server has logged `count` lines of `operation` (log lines are flushed once per event-loop turn). */
async function loggedAtLeast(operation: string, count: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const n = logLines().filter((line) => line.split(' ')[1] === operation).length;
    if (n >= count || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'keydeck-interop-'));
  emulator = await startEmulator(['--memory']);
  sdk = new KMSClient({ endpoint: emulator.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  sdk?.destroy();
  const exit = await emulator?.stop('SIGTERM');
  await rm(work, { recursive: true, force: true });
  // A clean stop: the SIGTERM handler closes the server and the store, then exits with 0.
  expect(exit).toEqual({ code: 0, signal: null });
});

describe.skipIf(skipReason('AWS CLI', awsMissing))('the AWS CLI', () => {
  // A hermetic CLI: only these credentials, no profile or config file from the machine.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: REGION,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const cli = (args: string[]) => run('aws', ['kms', ...args, '--endpoint-url', emulator.endpoint, '--output', 'json'], env);

  /** Runs `aws kms ...` and parses its JSON output; the type states the fields the test reads. */
  async function aws<T>(...args: string[]): Promise<T> {
    const result = await cli(args);
    expect(result.code, `aws kms ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
  }

  type KeyMetadataOutput = { KeyMetadata: { KeyId: string; Arn: string; KeyState: string; Enabled: boolean; KeySpec: string; KeyUsage: string; Description: string; CurrentKeyMaterialId?: string; DeletionDate?: number } };
  const createKey = async (description = 'interop: AWS CLI') => (await aws<KeyMetadataOutput>('create-key', '--description', description)).KeyMetadata;

  let key: KeyMetadataOutput['KeyMetadata'];
  let plaintextFile: string;

  /** Encrypts the secret under `keyId` with `context` (CLI syntax `k=v,k=v`) and returns the ciphertext's file. */
  async function encryptToFile(keyId: string, context: string): Promise<string> {
    const { CiphertextBlob } = await aws<{ CiphertextBlob: string }>('encrypt', '--key-id', keyId, '--plaintext', `fileb://${plaintextFile}`, '--encryption-context', context);
    const file = path.join(work, `cli-${crypto.randomUUID()}.bin`);
    await writeFile(file, Buffer.from(CiphertextBlob, 'base64'));
    return file;
  }

  beforeAll(async () => {
    plaintextFile = path.join(work, 'cli-plaintext.bin');
    await writeFile(plaintextFile, SECRET);
    key = await createKey();
  });

  it('create-key makes an enabled symmetric key that describe-key reports', async () => {
    expect(key.Arn).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:key/${key.KeyId}`);
    const { KeyMetadata } = await aws<KeyMetadataOutput>('describe-key', '--key-id', key.KeyId);
    expect(KeyMetadata).toMatchObject({ KeyId: key.KeyId, KeyState: 'Enabled', Enabled: true, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'interop: AWS CLI' });
  });

  it('an alias made with create-alias is listed by list-aliases and resolves in describe-key', async () => {
    await aws('create-alias', '--alias-name', 'alias/interop-cli', '--target-key-id', key.KeyId);
    const { Aliases } = await aws<{ Aliases: { AliasName: string; AliasArn: string; TargetKeyId: string }[] }>('list-aliases', '--key-id', key.KeyId);
    expect(Aliases).toEqual([expect.objectContaining({ AliasName: 'alias/interop-cli', AliasArn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/interop-cli`, TargetKeyId: key.KeyId })]);
    const { KeyMetadata } = await aws<KeyMetadataOutput>('describe-key', '--key-id', 'alias/interop-cli');
    expect(KeyMetadata.KeyId).toBe(key.KeyId);
  });

  it('encrypt from a fileb:// plaintext with an encryption context round-trips through decrypt', async () => {
    const ciphertext = await encryptToFile(key.KeyId, 'purpose=interop,team=keydeck');
    // The context's pairs in another order are the same context.
    const out = await aws<{ Plaintext: string; KeyId: string; EncryptionAlgorithm: string }>('decrypt', '--ciphertext-blob', `fileb://${ciphertext}`, '--encryption-context', 'team=keydeck,purpose=interop');
    expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe(SECRET);
    expect(out).toMatchObject({ KeyId: key.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  });

  it('a refused call (the auditor encrypting) is AccessDeniedException, and lookup-events shows it with the allowed ones', async () => {
    const auditor = await run('aws', ['kms', 'encrypt', '--key-id', key.KeyId, '--plaintext', `fileb://${plaintextFile}`, '--endpoint-url', emulator.endpoint], {
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIAAUDITOR00000001',
      AWS_SECRET_ACCESS_KEY: 'auditor-secret',
    });
    expect([254, 255]).toContain(auditor.code);
    expect(auditor.stderr).toContain('(AccessDeniedException) when calling the Encrypt operation: User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: kms:Encrypt');
    const lookup = await run(
      'aws',
      ['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=auditor', '--max-results', '5', '--endpoint-url', emulator.endpoint, '--output', 'json'],
      env,
    );
    expect(lookup.code, lookup.stderr).toBe(0);
    const events = (JSON.parse(lookup.stdout) as { Events: { EventName: string; CloudTrailEvent: string }[] }).Events;
    const record = JSON.parse(events[0].CloudTrailEvent) as { eventName: string; errorCode?: string; requestParameters: Record<string, unknown> };
    expect(record).toMatchObject({ eventName: 'Encrypt', errorCode: 'AccessDenied', requestParameters: { keyId: key.KeyId } });
    expect(events[0].CloudTrailEvent).not.toContain(Buffer.from(SECRET).toString('base64'));
  });

  it('decrypt with a different encryption context fails with InvalidCiphertextException', async () => {
    const ciphertext = await encryptToFile(key.KeyId, 'purpose=interop');
    const result = await cli(['decrypt', '--ciphertext-blob', `fileb://${ciphertext}`, '--encryption-context', 'purpose=something-else']);
    // A service error: the CLI exits with 255 (v1) or 254 (v2) and names the exception.
    expect([254, 255]).toContain(result.code);
    expect(result.stderr).toContain('(InvalidCiphertextException) when calling the Decrypt operation');
    expect(result.stdout).toBe('');
  });

  it('describe-key of an unknown key id fails with NotFoundException', async () => {
    const result = await cli(['describe-key', '--key-id', crypto.randomUUID()]);
    expect([254, 255]).toContain(result.code);
    expect(result.stderr).toContain('(NotFoundException) when calling the DescribeKey operation');
  });

  it('generate-data-key returns a 32-byte AES key whose ciphertext decrypts to it', async () => {
    const dataKey = await aws<{ Plaintext: string; CiphertextBlob: string; KeyId: string }>('generate-data-key', '--key-id', 'alias/interop-cli', '--key-spec', 'AES_256', '--encryption-context', 'use=data-key');
    expect(Buffer.from(dataKey.Plaintext, 'base64')).toHaveLength(32);
    expect(dataKey.KeyId).toBe(key.Arn);
    const file = path.join(work, 'cli-data-key.bin');
    await writeFile(file, Buffer.from(dataKey.CiphertextBlob, 'base64'));
    const { Plaintext } = await aws<{ Plaintext: string }>('decrypt', '--ciphertext-blob', `fileb://${file}`, '--encryption-context', 'use=data-key');
    expect(Plaintext).toBe(dataKey.Plaintext);
  });

  it('re-encrypt moves a ciphertext to another key and context', async () => {
    const destination = await createKey('interop: AWS CLI re-encrypt destination');
    const ciphertext = await encryptToFile(key.KeyId, 'stage=source');
    const moved = await aws<{ CiphertextBlob: string; SourceKeyId: string; KeyId: string }>(
      're-encrypt', '--ciphertext-blob', `fileb://${ciphertext}`, '--source-encryption-context', 'stage=source',
      '--destination-key-id', destination.KeyId, '--destination-encryption-context', 'stage=destination',
    );
    expect(moved).toMatchObject({ SourceKeyId: key.Arn, KeyId: destination.Arn });
    const file = path.join(work, 'cli-reencrypted.bin');
    await writeFile(file, Buffer.from(moved.CiphertextBlob, 'base64'));
    const out = await aws<{ Plaintext: string; KeyId: string }>('decrypt', '--ciphertext-blob', `fileb://${file}`, '--encryption-context', 'stage=destination');
    expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe(SECRET);
    expect(out.KeyId).toBe(destination.Arn);
  });

  it('schedule-key-deletion with a 7-day window puts the key in PendingDeletion for 7 days', async () => {
    const doomed = await createKey('interop: AWS CLI deletion');
    const before = Date.now() / 1000;
    const out = await aws<{ KeyId: string; KeyState: string; PendingWindowInDays: number; DeletionDate: number }>('schedule-key-deletion', '--key-id', doomed.KeyId, '--pending-window-in-days', '7');
    expect(out).toMatchObject({ KeyId: doomed.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(out.DeletionDate - before).toBeGreaterThanOrEqual(7 * 86_400 - 60);
    expect(out.DeletionDate - before).toBeLessThanOrEqual(8 * 86_400);
    const { KeyMetadata } = await aws<KeyMetadataOutput>('describe-key', '--key-id', doomed.KeyId);
    expect(KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: out.DeletionDate });
  });

  it('list-keys with a small --page-size follows every page and returns all keys', async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) => createKey(`interop: AWS CLI paging ${i}`)));
    const all = await aws<{ Keys: { KeyId: string }[] }>('list-keys');
    expect(all.Keys.length).toBeGreaterThanOrEqual(8);
    const pagesBefore = await loggedAtLeast('ListKeys', 0);

    const paged = await aws<{ Keys: { KeyId: string }[]; NextMarker?: string }>('list-keys', '--page-size', '2');

    expect(paged.Keys.map((k) => k.KeyId)).toEqual(all.Keys.map((k) => k.KeyId));
    expect(paged.NextMarker).toBeUndefined();
    const pages = Math.ceil(all.Keys.length / 2);
    expect(await loggedAtLeast('ListKeys', pagesBefore + pages)).toBe(pagesBefore + pages);
  });

  it('enable-key-rotation, rotate-key-on-demand and list-key-rotations record an on-demand rotation', async () => {
    const rotating = await createKey('interop: AWS CLI rotation');
    await aws('enable-key-rotation', '--key-id', rotating.KeyId, '--rotation-period-in-days', '180');
    const status = await aws<{ KeyRotationEnabled: boolean; RotationPeriodInDays: number; NextRotationDate: number }>('get-key-rotation-status', '--key-id', rotating.KeyId);
    expect(status).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    expect(status.NextRotationDate - Date.now() / 1000).toBeGreaterThan(179 * 86_400);

    const rotated = await aws<{ KeyId: string }>('rotate-key-on-demand', '--key-id', rotating.KeyId);
    expect(rotated.KeyId).toBe(rotating.KeyId);

    const { Rotations } = await aws<{ Rotations: { KeyId: string; KeyMaterialId: string; RotationType: string; RotationDate: number }[] }>('list-key-rotations', '--key-id', rotating.KeyId);
    expect(Rotations).toEqual([expect.objectContaining({ KeyId: rotating.KeyId, RotationType: 'ON_DEMAND' })]);
    const { KeyMetadata } = await aws<KeyMetadataOutput>('describe-key', '--key-id', rotating.KeyId);
    expect(KeyMetadata.CurrentKeyMaterialId).toBe(Rotations[0].KeyMaterialId);
    expect(KeyMetadata.CurrentKeyMaterialId).not.toBe(rotating.CurrentKeyMaterialId);
  });

  it('create-grant, list-grants and retire-grant manage a grant whose token works at once', async () => {
    const grantKey = await createKey('interop: AWS CLI grants');
    const grantee = `arn:aws:iam::${ACCOUNT}:user/auditor`;
    const retiring = `arn:aws:iam::${ACCOUNT}:user/admin`;
    const { GrantId, GrantToken } = await aws<{ GrantId: string; GrantToken: string }>(
      'create-grant', '--key-id', grantKey.KeyId, '--grantee-principal', grantee, '--retiring-principal', retiring,
      '--operations', 'Encrypt', 'Decrypt', '--constraints', 'EncryptionContextSubset={team=keydeck}', '--name', 'interop-cli',
    );
    expect(GrantId).toMatch(/^[0-9a-f]{64}$/);
    const listed = await aws<{ Grants: unknown[]; Truncated: boolean }>('list-grants', '--key-id', grantKey.KeyId);
    expect(listed.Grants).toEqual([
      {
        KeyId: grantKey.Arn, GrantId, Name: 'interop-cli', CreationDate: expect.anything(), GranteePrincipal: grantee, RetiringPrincipal: retiring,
        IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { team: 'keydeck' } },
      },
    ]);
    await aws('encrypt', '--key-id', grantKey.KeyId, '--plaintext', `fileb://${plaintextFile}`, '--encryption-context', 'team=keydeck', '--grant-tokens', GrantToken);
    await aws('retire-grant', '--grant-token', GrantToken);
    expect((await aws<{ Grants: unknown[] }>('list-grants', '--key-id', grantKey.KeyId)).Grants).toEqual([]);
    const stale = await cli(['encrypt', '--key-id', grantKey.KeyId, '--plaintext', `fileb://${plaintextFile}`, '--grant-tokens', GrantToken]);
    expect(stale.stderr).toContain('(InvalidGrantTokenException) when calling the Encrypt operation');
  });

  it('replicate-key copies a --multi-region key to eu-west-2, where a ciphertext from us-east-1 decrypts', async () => {
    const { KeyMetadata: primary } = await aws<KeyMetadataOutput>('create-key', '--multi-region', '--description', 'interop: AWS CLI multi-Region');
    expect(primary.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    const replica = await aws<{ ReplicaKeyMetadata: { Arn: string; MultiRegionConfiguration: { MultiRegionKeyType: string; PrimaryKey: { Region: string } } } }>(
      'replicate-key', '--key-id', primary.KeyId, '--replica-region', 'eu-west-2',
    );
    expect(replica.ReplicaKeyMetadata).toMatchObject({
      Arn: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/${primary.KeyId}`,
      MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Region: REGION } },
    });
    const ciphertext = await encryptToFile(primary.KeyId, 'purpose=multi-region');
    const out = await aws<{ Plaintext: string; KeyId: string }>('decrypt', '--ciphertext-blob', `fileb://${ciphertext}`, '--encryption-context', 'purpose=multi-region', '--region', 'eu-west-2');
    expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe(SECRET);
    expect(out.KeyId).toBe(replica.ReplicaKeyMetadata.Arn);
  });

  it.skipIf(skipReason('openssl key import', opensslMissing))(
    'imports key material that openssl wrapped (pkeyutl, RSAES_OAEP_SHA_256) with get-parameters-for-import and import-key-material',
    async () => {
      const { KeyMetadata: external } = await aws<KeyMetadataOutput>('create-key', '--origin', 'EXTERNAL', '--description', 'interop: AWS CLI import');
      expect(external.KeyState).toBe('PendingImport');
      const params = await aws<{ KeyId: string; ImportToken: string; PublicKey: string; ParametersValidTo: number }>(
        'get-parameters-for-import', '--key-id', external.KeyId, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '--wrapping-key-spec', 'RSA_2048',
      );
      expect(params.KeyId).toBe(external.Arn);
      const file = (name: string) => path.join(work, `import-${name}`);
      await writeFile(file('public.der'), Buffer.from(params.PublicKey, 'base64'));
      await writeFile(file('token.bin'), Buffer.from(params.ImportToken, 'base64'));
      // The steps of importing-keys-encrypt-key-material.html: 32 random bytes, wrapped with the public key by openssl.
      const openssl = async (...args: string[]) => {
        const result = await run('openssl', args);
        expect(result.code, `openssl ${args.join(' ')}: ${result.stderr}`).toBe(0);
      };
      await openssl('rand', '-out', file('material.bin'), '32');
      await openssl(
        'pkeyutl', '-encrypt', '-in', file('material.bin'), '-out', file('wrapped.bin'), '-inkey', file('public.der'), '-keyform', 'DER', '-pubin',
        '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256',
      );
      const imported = await aws<{ KeyId: string; KeyMaterialId: string }>(
        'import-key-material', '--key-id', external.KeyId, '--encrypted-key-material', `fileb://${file('wrapped.bin')}`,
        '--import-token', `fileb://${file('token.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      );
      expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      const { KeyMetadata } = await aws<KeyMetadataOutput & { KeyMetadata: { Origin: string; ExpirationModel: string } }>('describe-key', '--key-id', external.KeyId);
      expect(KeyMetadata).toMatchObject({ KeyState: 'Enabled', Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: imported.KeyMaterialId });
      const ciphertext = await encryptToFile(external.KeyId, 'purpose=byok');
      const out = await aws<{ Plaintext: string }>('decrypt', '--ciphertext-blob', `fileb://${ciphertext}`, '--encryption-context', 'purpose=byok');
      expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe(SECRET);
      await aws('delete-imported-key-material', '--key-id', external.KeyId);
      const refused = await cli(['decrypt', '--ciphertext-blob', `fileb://${ciphertext}`, '--encryption-context', 'purpose=byok']);
      expect(refused.stderr).toContain('(KMSInvalidStateException) when calling the Decrypt operation');
    },
  );
});

describe.skipIf(skipReason('boto3', pythonMissing))('boto3', () => {
  /** Shared by every script: a client for the emulator, `out()` to hand a result back, `error_code()` for failures. */
  const PRELUDE = `
import base64, json, os, sys
import boto3, botocore.exceptions
kms = boto3.client('kms', endpoint_url=os.environ['KMS_ENDPOINT'], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
SECRET = os.environ['SECRET'].encode()

def out(value):
    print(json.dumps(value, default=str))

def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response['Error']['Code']
    return None

def create(spec, usage, **kwargs):
    return kms.create_key(KeySpec=spec, KeyUsage=usage, Description='interop: boto3', **kwargs)['KeyMetadata']
`;

  /** Runs PRELUDE + `body` with python3 and returns what the script passed to `out()`. */
  async function python<T>(body: string): Promise<T> {
    const env = { ...process.env, KMS_ENDPOINT: emulator.endpoint, SECRET };
    const result = await run('python3', ['-c', PRELUDE + body], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  it('create_key makes keys of each spec and usage with the algorithms AWS lists for them', async () => {
    const keys = await python<Record<string, unknown>[]>(`
out([create(spec, usage) for spec, usage in [
    ('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'), ('RSA_2048', 'SIGN_VERIFY'), ('RSA_2048', 'ENCRYPT_DECRYPT'),
    ('ECC_NIST_P256', 'SIGN_VERIFY'), ('ECC_NIST_P256', 'KEY_AGREEMENT'), ('HMAC_256', 'GENERATE_VERIFY_MAC'),
    ('ML_DSA_44', 'SIGN_VERIFY')]])
`);
    expect(keys).toMatchObject([
      { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] },
      {
        KeySpec: 'RSA_2048',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: expect.arrayContaining(['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_512']),
      },
      { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT', KeyAgreementAlgorithms: ['ECDH'] },
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_256'] },
      { KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ML_DSA_SHAKE_256'] },
    ]);
    for (const key of keys) expect(key).toMatchObject({ KeyState: 'Enabled', AWSAccountId: ACCOUNT });
  });

  it('encrypt and decrypt round-trip under a symmetric key (with a context) and an RSA key (OAEP)', async () => {
    const result = await python<{ symmetric: string; rsa: string; rsaKeyMatches: boolean }>(`
sym = create('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
blob = kms.encrypt(KeyId=sym['KeyId'], Plaintext=SECRET, EncryptionContext={'tenant': 'acme'})['CiphertextBlob']
symmetric = kms.decrypt(CiphertextBlob=blob, EncryptionContext={'tenant': 'acme'})['Plaintext']
rsa = create('RSA_2048', 'ENCRYPT_DECRYPT')
blob = kms.encrypt(KeyId=rsa['KeyId'], Plaintext=SECRET, EncryptionAlgorithm='RSAES_OAEP_SHA_256')['CiphertextBlob']
decrypted = kms.decrypt(CiphertextBlob=blob, KeyId=rsa['KeyId'], EncryptionAlgorithm='RSAES_OAEP_SHA_256')
out({'symmetric': symmetric.decode(), 'rsa': decrypted['Plaintext'].decode(), 'rsaKeyMatches': decrypted['KeyId'] == rsa['Arn']})
`);
    expect(result).toEqual({ symmetric: SECRET, rsa: SECRET, rsaKeyMatches: true });
  });

  it('sign and verify agree for RSA, ECDSA and ML-DSA keys; a wrong signature fails with KMSInvalidSignatureException', async () => {
    const results = await python<{ algorithm: string; valid: boolean; tampered: string | null }[]>(`
results = []
for spec, algorithm in [('RSA_2048', 'RSASSA_PSS_SHA_256'), ('RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'),
                        ('ECC_NIST_P256', 'ECDSA_SHA_256'), ('ML_DSA_44', 'ML_DSA_SHAKE_256')]:
    key = create(spec, 'SIGN_VERIFY')
    signature = kms.sign(KeyId=key['KeyId'], Message=SECRET, SigningAlgorithm=algorithm)['Signature']
    valid = kms.verify(KeyId=key['KeyId'], Message=SECRET, Signature=signature, SigningAlgorithm=algorithm)['SignatureValid']
    tampered = bytes([signature[0], signature[1], signature[2] ^ 1]) + signature[3:]
    code = error_code(kms.verify, KeyId=key['KeyId'], Message=SECRET, Signature=tampered, SigningAlgorithm=algorithm)
    results.append({'algorithm': algorithm, 'valid': valid, 'tampered': code})
out(results)
`);
    expect(results).toEqual(
      ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256', 'ECDSA_SHA_256', 'ML_DSA_SHAKE_256'].map((algorithm) => ({ algorithm, valid: true, tampered: 'KMSInvalidSignatureException' })),
    );
  });

  it('generate_mac and verify_mac agree; a wrong MAC fails with KMSInvalidMacException', async () => {
    const result = await python<{ length: number; valid: boolean; wrongMac: string | null; wrongMessage: string | null }>(`
key = create('HMAC_256', 'GENERATE_VERIFY_MAC')
mac = kms.generate_mac(KeyId=key['KeyId'], Message=SECRET, MacAlgorithm='HMAC_SHA_256')['Mac']
valid = kms.verify_mac(KeyId=key['KeyId'], Message=SECRET, Mac=mac, MacAlgorithm='HMAC_SHA_256')['MacValid']
wrong = bytes([mac[0] ^ 1]) + mac[1:]
out({'length': len(mac), 'valid': valid,
     'wrongMac': error_code(kms.verify_mac, KeyId=key['KeyId'], Message=SECRET, Mac=wrong, MacAlgorithm='HMAC_SHA_256'),
     'wrongMessage': error_code(kms.verify_mac, KeyId=key['KeyId'], Message=SECRET + b'!', Mac=mac, MacAlgorithm='HMAC_SHA_256')})
`);
    expect(result).toEqual({ length: 32, valid: true, wrongMac: 'KMSInvalidMacException', wrongMessage: 'KMSInvalidMacException' });
  });

  it('tag_resource and untag_resource change what list_resource_tags returns', async () => {
    const tags = await python<{ created: unknown; tagged: unknown; untagged: unknown }>(`
key = create('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', Tags=[{'TagKey': 'team', 'TagValue': 'keydeck'}])
tags = lambda: kms.list_resource_tags(KeyId=key['KeyId'])['Tags']
created = tags()
kms.tag_resource(KeyId=key['KeyId'], Tags=[{'TagKey': 'env', 'TagValue': 'test'}, {'TagKey': 'team', 'TagValue': 'platform'}])
tagged = tags()
kms.untag_resource(KeyId=key['KeyId'], TagKeys=['team'])
out({'created': created, 'tagged': tagged, 'untagged': tags()})
`);
    expect(tags.created).toEqual([{ TagKey: 'team', TagValue: 'keydeck' }]);
    // TagResource overwrites the value of an existing tag key.
    expect(tags.tagged).toEqual(expect.arrayContaining([{ TagKey: 'team', TagValue: 'platform' }, { TagKey: 'env', TagValue: 'test' }]));
    expect(tags.tagged).toHaveLength(2);
    expect(tags.untagged).toEqual([{ TagKey: 'env', TagValue: 'test' }]);
  });

  it('the list_keys paginator walks every page', async () => {
    const result = await python<{ created: string[]; paged: string[]; pages: number; unpaged: string[] }>(`
created = [create('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')['KeyId'] for _ in range(5)]
pages = list(kms.get_paginator('list_keys').paginate(PaginationConfig={'PageSize': 2}))
paged = [k['KeyId'] for page in pages for k in page['Keys']]
out({'created': created, 'paged': paged, 'pages': len(pages), 'unpaged': [k['KeyId'] for k in kms.list_keys()['Keys']]})
`);
    expect(result.paged).toEqual(result.unpaged);
    expect(result.paged).toEqual(expect.arrayContaining(result.created));
    expect(result.pages).toBe(Math.ceil(result.unpaged.length / 2));
  });

  it('an unknown key id fails with NotFoundException and a disabled key with DisabledException', async () => {
    const codes = await python<{ unknown: string | null; disabled: string | null }>(`
key = create('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
kms.disable_key(KeyId=key['KeyId'])
out({'unknown': error_code(kms.describe_key, KeyId='arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000'),
     'disabled': error_code(kms.encrypt, KeyId=key['KeyId'], Plaintext=SECRET)})
`);
    expect(codes).toEqual({ unknown: 'NotFoundException', disabled: 'DisabledException' });
  });
});

// KMS is called with the JS SDK here; OpenSSL and Python's cryptography only do the other side.
describe.skipIf(skipReason('OpenSSL and cryptography', cryptographyMissing ?? opensslMissing))('public-key results checked outside KMS with OpenSSL and cryptography', () => {
  const message = Buffer.from(`${SECRET}: signed by KMS, verified elsewhere`);
  let messageFile: string;
  let otherMessageFile: string;

  beforeAll(async () => {
    messageFile = path.join(work, 'outside-message.txt');
    otherMessageFile = path.join(work, 'outside-other-message.txt');
    await writeFile(messageFile, message);
    await writeFile(otherMessageFile, Buffer.concat([message, Buffer.from('!')]));
  });

  async function createKey(spec: KeySpec, usage: KeyUsageType): Promise<string> {
    const out = await sdk.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage, Description: 'interop: outside KMS' }));
    return out.KeyMetadata!.KeyId!;
  }

  async function publicKeyDer(keyId: string): Promise<Buffer> {
    const out = await sdk.send(new GetPublicKeyCommand({ KeyId: keyId }));
    return Buffer.from(out.PublicKey!);
  }

  async function kmsSign(keyId: string, algorithm: SigningAlgorithmSpec, payload: Uint8Array, messageType: MessageType = 'RAW'): Promise<Buffer> {
    const out = await sdk.send(new SignCommand({ KeyId: keyId, SigningAlgorithm: algorithm, Message: payload, MessageType: messageType }));
    return Buffer.from(out.Signature!);
  }

  /** `openssl dgst -verify` of `file` with a DER SubjectPublicKeyInfo, the offline check AWS documents for KMS signatures. */
  async function opensslVerify(der: Buffer, signature: Buffer, digest: string, file: string, sigopts: readonly string[]): Promise<RunResult> {
    const id = crypto.randomUUID();
    const keyFile = path.join(work, `${id}.pub.der`);
    const sigFile = path.join(work, `${id}.sig`);
    await writeFile(keyFile, der);
    await writeFile(sigFile, signature);
    return run('openssl', ['dgst', `-${digest}`, '-verify', keyFile, '-keyform', 'DER', ...sigopts.flatMap((o) => ['-sigopt', o]), '-signature', sigFile, file]);
  }

  /** Runs a Python script with `args` (base64 for bytes) and parses the JSON it prints. */
  async function python<T>(script: string, ...args: string[]): Promise<T> {
    const result = await run('python3', ['-c', script, ...args]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  const PSS_SALT_32 = ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32']; // KMS's PSS salt is as long as the hash
  const signatureCases = [
    { algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', spec: 'RSA_2048', digest: 'sha256', sigopts: [] },
    { algorithm: 'RSASSA_PSS_SHA_256', spec: 'RSA_2048', digest: 'sha256', sigopts: PSS_SALT_32 },
    { algorithm: 'ECDSA_SHA_256', spec: 'ECC_NIST_P256', digest: 'sha256', sigopts: [] },
    { algorithm: 'ECDSA_SHA_384', spec: 'ECC_NIST_P384', digest: 'sha384', sigopts: [] },
  ] as const;

  for (const { algorithm, spec, digest, sigopts } of signatureCases) {
    it(`a ${algorithm} signature from a ${spec} key verifies with openssl against the public key`, async () => {
      const keyId = await createKey(spec, 'SIGN_VERIFY');
      const [der, signature] = await Promise.all([publicKeyDer(keyId), kmsSign(keyId, algorithm, message)]);

      const verified = await opensslVerify(der, signature, digest, messageFile, sigopts);
      expect(verified.stdout.trim()).toBe('Verified OK');
      expect(verified.code).toBe(0);
      // And the check is not vacuous: the same signature over another message fails.
      const rejected = await opensslVerify(der, signature, digest, otherMessageFile, sigopts);
      expect(rejected.stdout.trim()).toBe('Verification failure');
      expect(rejected.code).toBe(1);
    });
  }

  for (const { algorithm, spec, sigopts } of signatureCases.filter((c) => c.digest === 'sha256')) {
    it(`a ${algorithm} signature of a SHA-256 DIGEST verifies against the original message with openssl`, async () => {
      const keyId = await createKey(spec, 'SIGN_VERIFY');
      const digest = crypto.createHash('sha256').update(message).digest();
      const [der, signature] = await Promise.all([publicKeyDer(keyId), kmsSign(keyId, algorithm, digest, 'DIGEST')]);
      const verified = await opensslVerify(der, signature, 'sha256', messageFile, sigopts);
      expect(verified.stdout.trim()).toBe('Verified OK');
      expect(verified.code).toBe(0);
    });
  }

  for (const { algorithm, hash } of [
    { algorithm: 'RSAES_OAEP_SHA_256', hash: 'SHA256' },
    { algorithm: 'RSAES_OAEP_SHA_1', hash: 'SHA1' },
  ] as const) {
    it(`a message encrypted outside KMS with ${algorithm} (cryptography) decrypts with KMS Decrypt`, async () => {
      const keyId = await createKey('RSA_2048', 'ENCRYPT_DECRYPT');
      const der = await publicKeyDer(keyId);
      const { ciphertext } = await python<{ ciphertext: string }>(
        `
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
public_key = serialization.load_der_public_key(base64.b64decode(sys.argv[1]))
hash = getattr(hashes, sys.argv[2])()
ciphertext = public_key.encrypt(base64.b64decode(sys.argv[3]), padding.OAEP(mgf=padding.MGF1(algorithm=hash), algorithm=hash, label=None))
print(json.dumps({'ciphertext': base64.b64encode(ciphertext).decode()}))
`,
        der.toString('base64'),
        hash,
        message.toString('base64'),
      );
      const out = await sdk.send(new DecryptCommand({ CiphertextBlob: Buffer.from(ciphertext, 'base64'), KeyId: keyId, EncryptionAlgorithm: algorithm }));
      expect(Buffer.from(out.Plaintext!).toString()).toBe(message.toString());
      expect(out.EncryptionAlgorithm).toBe(algorithm);
    });
  }

  it('DeriveSharedSecret returns the same ECDH secret that cryptography computes from the other side', async () => {
    const keyId = await createKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    const kmsPublic = await publicKeyDer(keyId);
    const peer = await python<{ publicKey: string; sharedSecret: string }>(
      `
import base64, json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
private_key = ec.generate_private_key(ec.SECP256R1())
shared = private_key.exchange(ec.ECDH(), serialization.load_der_public_key(base64.b64decode(sys.argv[1])))
der = private_key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
print(json.dumps({'publicKey': base64.b64encode(der).decode(), 'sharedSecret': base64.b64encode(shared).decode()}))
`,
      kmsPublic.toString('base64'),
    );
    const out = await sdk.send(new DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: Buffer.from(peer.publicKey, 'base64') }));
    expect(Buffer.from(out.SharedSecret!)).toHaveLength(32);
    expect(Buffer.from(out.SharedSecret!).toString('base64')).toBe(peer.sharedSecret);
  });

  for (const { algorithm, spec, module, publicKeyClass } of [
    { algorithm: 'ED25519_SHA_512', spec: 'ECC_NIST_EDWARDS25519', module: 'ed25519', publicKeyClass: 'Ed25519PublicKey' },
    { algorithm: 'ML_DSA_SHAKE_256', spec: 'ML_DSA_44', module: 'mldsa', publicKeyClass: 'MLDSA44PublicKey' },
  ] as const) {
    it(`an ${algorithm} signature verifies with cryptography's ${publicKeyClass}`, async () => {
      const keyId = await createKey(spec, 'SIGN_VERIFY');
      const [der, signature] = await Promise.all([publicKeyDer(keyId), kmsSign(keyId, algorithm, message)]);
      const result = await python<{ isExpectedClass: boolean; valid: boolean; otherMessage: boolean }>(
        `
import base64, importlib, json, sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
public_key = serialization.load_der_public_key(base64.b64decode(sys.argv[1]))
signature, message = base64.b64decode(sys.argv[2]), base64.b64decode(sys.argv[3])
expected = getattr(importlib.import_module('cryptography.hazmat.primitives.asymmetric.' + sys.argv[4]), sys.argv[5])
def valid(m):
    try:
        public_key.verify(signature, m)
        return True
    except InvalidSignature:
        return False
print(json.dumps({'isExpectedClass': isinstance(public_key, expected), 'valid': valid(message), 'otherMessage': valid(message + b'!')}))
`,
        der.toString('base64'),
        signature.toString('base64'),
        message.toString('base64'),
        module,
        publicKeyClass,
      );
      expect(result).toEqual({ isExpectedClass: true, valid: true, otherMessage: false });
    });
  }

  it('an ED25519_PH_SHA_512 signature of a SHA-512 DIGEST is RFC 8032 Ed25519ph over that digest (KMS hashes it again)', async () => {
    // cryptography has no Ed25519ph, so @noble/curves checks this one. The API reference (Sign, MessageType):
    // "KMS still performs the SHA-512 prehash ... the input is hashed twice: once by you and once by KMS."
    const keyId = await createKey('ECC_NIST_EDWARDS25519', 'SIGN_VERIFY');
    const digest = crypto.createHash('sha512').update(message).digest();
    const [der, signature] = await Promise.all([publicKeyDer(keyId), kmsSign(keyId, 'ED25519_PH_SHA_512', digest, 'DIGEST')]);
    const rawPublicKey = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'jwk' }).x!;
    const publicKey = Buffer.from(rawPublicKey, 'base64url');
    expect(ed25519ph.verify(signature, digest, publicKey)).toBe(true);
    expect(ed25519ph.verify(signature, message, publicKey)).toBe(false);
  });
});

describe('the request log', () => {
  it('has one line per request naming the operation and outcome, and never a plaintext', async () => {
    const describesBefore = await loggedAtLeast('DescribeKey', 0);
    const { KeyMetadata } = await sdk.send(new CreateKeyCommand({ Description: 'interop: request log' }));
    const keyId = KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await sdk.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SECRET) }));
    await sdk.send(new DecryptCommand({ CiphertextBlob }));
    await expect(sdk.send(new DescribeKeyCommand({ KeyId: 'alias/interop-does-not-exist' }))).rejects.toMatchObject({ name: 'NotFoundException' });
    expect(await loggedAtLeast('DescribeKey', describesBefore + 1)).toBe(describesBefore + 1);

    const lines = logLines();
    const tail = lines.slice(-4).map((line) => line.split(' ').slice(1, 6));
    expect(tail).toEqual([
      ['CreateKey', REGION, keyId, '200', expect.stringMatching(/ms$/)],
      ['Encrypt', REGION, keyId, '200', expect.stringMatching(/ms$/)],
      ['Decrypt', REGION, keyId, '200', expect.stringMatching(/ms$/)],
      ['DescribeKey', REGION, '-', '400', 'NotFoundException'],
    ]);
    for (const line of lines) expect(line).toMatch(/^\S+Z [A-Za-z]+ [a-z0-9-]+ \S+ \d{3}( [A-Za-z]+)? \d+\.\dms$/);

    const log = emulator.stdout();
    for (const secret of [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex')]) expect(log).not.toContain(secret);
    // Every plaintext of this file (CLI, boto3 and SDK alike) starts with the marker, so none of them was logged.
    expect(log).not.toMatch(/top-secret/i);
  });
});
