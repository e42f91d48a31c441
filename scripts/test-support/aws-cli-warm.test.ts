/**
 * The warm AWS CLI against the `aws` executable: the same shown commands, run both ways against
 * `npm run emulator`, end the same — exit status, stdout, stderr and the files they write — for a JSON
 * answer, a KMS exception, a usage error, stdin through a pipe, relative files, `export` lines and a
 * configuration of the command's own.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from './emulator-process';
import { startWarmAwsCli, type WarmAwsCli } from './aws-cli-warm';

const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const version = /aws-cli\/(\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1];
if (!version) console.warn('scripts/test-support/aws-cli-warm.test.ts: skipped: the AWS CLI is missing');

const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
Object.assign(env, { AWS_PAGER: '', AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials', AWS_EC2_METADATA_DISABLED: 'true' });

interface Ended {
  code: number;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

/** Runs `text` with bash -euo pipefail in a fresh directory holding plaintext.bin; returns how it ended and the files it wrote. */
async function run(text: string, pathPrefix: string | null): Promise<Ended> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-warm-test-'));
  await fs.writeFile(path.join(dir, 'plaintext.bin'), 'a shown plaintext');
  const runEnv = pathPrefix ? { ...env, PATH: `${pathPrefix}:${env.PATH}` } : env;
  const { code, stdout, stderr } = await new Promise<Omit<Ended, 'files'>>((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', text], { cwd: dir, env: runEnv, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
  const files: Record<string, string> = {};
  for (const name of (await fs.readdir(dir)).sort()) files[name] = (await fs.readFile(path.join(dir, name))).toString('base64');
  await fs.rm(dir, { recursive: true, force: true });
  return { code, stdout, stderr, files };
}

describe.skipIf(!version)('the warm AWS CLI', () => {
  let emulator: EmulatorProcess;
  let cli: WarmAwsCli;
  let keyId: string;

  beforeAll(async () => {
    emulator = await startEmulator(['--memory', '--quiet']);
    const started = await startWarmAwsCli(env, version!);
    if ('reason' in started) throw new Error(started.reason);
    cli = started;
    const kms = new KMSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    keyId = (await kms.send(new CreateKeyCommand({ Description: 'warm CLI test' }))).KeyMetadata!.KeyId!;
    await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).then((made) => kms.send(new CreateAliasCommand({ AliasName: 'alias/warm/mac', TargetKeyId: made.KeyMetadata!.KeyId! })));
    kms.destroy();
  }, 180_000);

  afterAll(async () => {
    cli?.stop();
    await emulator?.stop('SIGTERM');
  });

  it('ends every command as the aws executable does: status, stdout, stderr and written files', async () => {
    const at = `--region us-east-1 --endpoint-url ${emulator.endpoint}`;
    const login = 'export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test';
    const commands = [
      // A JSON answer.
      `${login}\naws kms describe-key --key-id ${keyId} ${at}`,
      // A KMS exception, by name, with the CLI's exit status (255 in v1).
      `${login}\naws kms describe-key --key-id alias/warm/missing ${at}`,
      // A usage error from the CLI's own argument parsing.
      `${login}\naws kms encrypt --key-id ${keyId} --plaintext fileb://plaintext.bin --no-such-option ${at}`,
      // stdin through a pipe, text output through base64 into a file (HMAC is deterministic).
      `${login}\nprintf 'order 1042' | aws kms generate-mac --key-id alias/warm/mac --mac-algorithm HMAC_SHA_256 --message fileb:///dev/stdin ${at} --query Mac --output text | base64 --decode > mac.bin`,
      // Relative files in the command's directory: a round trip.
      `${login}\naws kms encrypt --key-id ${keyId} --plaintext fileb://plaintext.bin ${at} --query CiphertextBlob --output text | base64 --decode > ciphertext.bin\naws kms decrypt --ciphertext-blob fileb://ciphertext.bin ${at} --query Plaintext --output text | base64 --decode > decrypted.bin\nrm ciphertext.bin`,
      // Credentials a command exports are its own: an unknown access key is refused…
      `export AWS_ACCESS_KEY_ID=nobody AWS_SECRET_ACCESS_KEY=nothing\naws kms list-keys ${at}`,
      // …and none reach a command that exports none.
      `aws kms list-keys ${at}`,
      // A configuration of the command's own (its default Region) instead of --region.
      `${login} AWS_DEFAULT_REGION=us-east-1\naws kms list-keys --endpoint-url ${emulator.endpoint} --query 'Keys[].KeyId' --output text`,
    ];
    // The executable's runs side by side (a cold start each), then the warm runs one after another.
    const cold = await Promise.all(commands.map((text) => run(text, null)));
    const started = Date.now();
    const warm: Ended[] = [];
    for (const text of commands) warm.push(await run(text, cli.binDir));
    console.log(`aws-cli-warm.test.ts: ${commands.length} commands warm in ${Date.now() - started} ms`);
    for (const [i, text] of commands.entries()) expect(warm[i], text).toEqual(cold[i]);
    // The runs did what they say: an answer, the exception, the usage error, the MAC, the round trip, the refusals.
    expect(JSON.parse(cold[0].stdout).KeyMetadata.KeyId).toBe(keyId);
    expect(cold[1].stderr).toContain('(NotFoundException)');
    expect(cold[1].code).toBe(255);
    expect(cold[2].code).toBe(255);
    expect(cold[2].stderr).toContain('Unknown options: --no-such-option');
    expect(Buffer.from(cold[3].files['mac.bin'], 'base64').length).toBe(32);
    expect(Buffer.from(cold[4].files['decrypted.bin'], 'base64').toString()).toBe('a shown plaintext');
    expect(cold[5].stderr).toMatch(/\((UnrecognizedClientException|InvalidSignatureException|AccessDeniedException)\)/);
    expect(cold[6].stderr).toContain('Unable to locate credentials');
    expect(cold[7].stdout.trim()).toContain(keyId);
  }, 240_000);
});
