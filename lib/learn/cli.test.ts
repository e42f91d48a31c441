/**
 * The CLI commands /learn shows: the pure mapping of request members to options, and — with the machine's
 * AWS CLI against `npm run emulator` — every command of three scenarios replayed as shown (credentials line
 * included), ending as the SDK call did: success, or the same KMS exception.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from '@/scripts/test-support/emulator-process';
import { testBackends } from '@/lib/store/test-support';
import type { Store } from '@/lib/store/open';
import { cliCommands, credentialsLine } from './cli';
import { runStep } from './runner';
import { identityOf, type LearnClients } from './runtime';
import { scenarioById } from './scenarios';
import type { LearnCall } from './types';

const TARGET = { mode: 'demo' as const, region: 'us-east-1', endpointUrl: 'http://localhost:3000/api/kms' };

describe('cliCommands (pure)', () => {
  it('maps members to options: strings, numbers, booleans, structures as JSON and blobs as files', () => {
    const [line] = cliCommands(
      'CreateKey',
      { Description: "Bob's key", MultiRegion: true, BypassPolicyLockoutSafetyCheck: false, Tags: [{ TagKey: 'keydeck:scenario', TagValue: 'x' }], Policy: undefined },
      TARGET,
    );
    expect(line).toBe(
      `aws kms create-key --description 'Bob'\\''s key' --multi-region --no-bypass-policy-lockout-safety-check --tags '[{"TagKey":"keydeck:scenario","TagValue":"x"}]' --region us-east-1 --endpoint-url http://localhost:3000/api/kms`,
    );
    expect(cliCommands('ImportKeyMaterial', { KeyId: 'k', ImportToken: new Uint8Array([1]), ValidTo: undefined }, TARGET)[0]).toContain('--import-token fileb://import-token.bin');
    expect(cliCommands('EnableKeyRotation', { KeyId: 'k', RotationPeriodInDays: 90 }, TARGET)[0]).toContain('--rotation-period-in-days 90');
    expect(cliCommands('GetParametersForImport', { WrappingKeySpec: 'RSA_2048' }, TARGET)[0]).toContain('aws kms get-parameters-for-import --wrapping-key-spec RSA_2048');
  });

  it("reuses the playground's twins for Encrypt, Decrypt, ReEncrypt and GenerateDataKey", () => {
    expect(cliCommands('Encrypt', { KeyId: 'alias/a', Plaintext: new Uint8Array([1]), EncryptionContext: { app: 'orders' } }, TARGET)[0]).toBe(
      `aws kms encrypt --key-id alias/a --plaintext fileb://plaintext.bin --encryption-context '{"app":"orders"}' --region us-east-1 --endpoint-url http://localhost:3000/api/kms --query CiphertextBlob --output text | base64 --decode > ciphertext.bin`,
    );
    expect(credentialsLine('AKIAAPPLICATION0001', 'application-secret')).toBe('export AWS_ACCESS_KEY_ID=AKIAAPPLICATION0001 AWS_SECRET_ACCESS_KEY=application-secret');
  });
});

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', command], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const awsMissing = (() => {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  return !!probe.error || probe.status !== 0;
})();
if (awsMissing) console.warn('lib/learn/cli.test.ts: skipping the CLI runs: the AWS CLI is missing');

/** The files the shown commands read, from what the SDK call sent. */
const FILES: Record<string, string> = { Plaintext: 'plaintext.bin', CiphertextBlob: 'ciphertext.bin' };

describe.skipIf(awsMissing)('the shown CLI commands, replayed with the AWS CLI against npm run emulator', () => {
  let emulator: EmulatorProcess;
  let store: Store;
  let work: string;
  const sdk: KMSClient[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  Object.assign(env, { AWS_PAGER: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'keydeck-learn-cli-'));
    emulator = await startEmulator(['--memory', '--quiet']);
    store = await testBackends[0].open();
  });
  afterAll(async () => {
    for (const c of sdk) c.destroy();
    await store?.close();
    await emulator?.stop('SIGTERM');
    await rm(work, { recursive: true, force: true });
  });

  const clients = (): LearnClients => ({
    kms: (region, as) => {
      const { accessKeyId, secretAccessKey } = identityOf(as);
      const client = new KMSClient({ endpoint: emulator.endpoint, region, credentials: { accessKeyId, secretAccessKey } });
      sdk.push(client);
      return client;
    },
    cloudtrail: (region, as) => {
      const { accessKeyId, secretAccessKey } = identityOf(as);
      return new CloudTrailClient({ endpoint: emulator.endpoint, region, credentials: { accessKeyId, secretAccessKey } });
    },
  });

  /** Each replay in a directory of its own, so they can run side by side (the CLI takes a second to start). */
  async function replay(call: LearnCall, index: number) {
    const dir = await mkdtemp(path.join(work, `${index}-`));
    for (const [member, file] of Object.entries(FILES)) {
      const value = call.request[member];
      if (typeof value === 'string') await writeFile(path.join(dir, file), Buffer.from(value, 'base64'));
    }
    const result = await run(call.cli.join('\n'), dir, env);
    if (call.error) {
      expect(result.code, `${call.operation} should fail as the SDK call did`).not.toBe(0);
      expect(result.stderr).toContain(`(${call.error.name})`);
    } else {
      expect(result.stderr, `${call.operation}: ${call.cli.at(-1)}`).toBe('');
      expect(result.code).toBe(0);
    }
  }

  // Scenarios whose calls can be made twice (CreateKey makes one more key; no alias or replica to collide with).
  it.each(['key-policy-basics', 'cross-account'])('%s: every command ends as its SDK call did', { timeout: 180_000 }, async (id) => {
    const scenario = scenarioById(id)!;
    const calls: LearnCall[] = [];
    for (const step of scenario.steps) {
      const result = await runStep({ db: store.db, clients: clients(), learner: 'cli', scenario: id, step: step.id, endpointUrl: emulator.endpoint });
      expect(result.passed, result.reason).toBe(true);
      calls.push(...result.calls);
    }
    expect(calls.some((c) => c.error?.name === 'AccessDeniedException') || id !== 'key-policy-basics').toBe(true);
    await Promise.all(calls.map((call, i) => replay(call, i)));
  });
});
