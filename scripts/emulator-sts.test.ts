/**
 * STS in the standalone emulator, driven by real clients: the AWS CLI (`aws sts …`) and boto3 get the
 * caller identity, assume a role in the partner account, and use the session's credentials for KMS.
 */
import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from './test-support/emulator-process';

const REGION = 'us-east-1';
const ROLE = 'arn:aws:iam::444455556666:role/keydeck-console';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

const missing = (file: string, args: string[]) => {
  const probe = spawnSync(file, args, { encoding: 'utf8', timeout: 30_000 });
  const reason = probe.error ? probe.error.message : probe.status !== 0 ? probe.stderr.trim() : undefined;
  if (reason) console.warn(`emulator-sts: skipping ${file}: ${reason}`);
  return reason !== undefined;
};

/** A hermetic environment: only these credentials, no profile or config file from the machine. */
function hermetic(credentials: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  return {
    ...env,
    ...credentials,
    AWS_DEFAULT_REGION: REGION,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

let emulator: EmulatorProcess;

beforeAll(async () => {
  emulator = await startEmulator(['--memory']);
});

afterAll(async () => {
  await emulator?.stop('SIGTERM');
});

describe.skipIf(missing('aws', ['--version']))('aws sts against the emulator', () => {
  const admin = hermetic({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  const aws = async (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const result = await run('aws', [...args, '--endpoint-url', emulator.endpoint, '--output', 'json'], env);
    return { ...result, json: () => JSON.parse(result.stdout) as Record<string, Record<string, string> & string> };
  };

  it('get-caller-identity names the admin user', async () => {
    const result = await aws(admin, 'sts', 'get-caller-identity');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/admin', UserId: expect.stringMatching(/^AIDA/) });
  });

  it('assume-role gives credentials that KMS accepts as the role session, on the main thread and the workers', async () => {
    const assumed = await aws(admin, 'sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'cli');
    expect(assumed.code, assumed.stderr).toBe(0);
    const out = JSON.parse(assumed.stdout) as { Credentials: Record<string, string>; AssumedRoleUser: { Arn: string } };
    expect(out.AssumedRoleUser.Arn).toBe('arn:aws:sts::444455556666:assumed-role/keydeck-console/cli');
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    const session = hermetic({ AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey, AWS_SESSION_TOKEN: out.Credentials.SessionToken });
    const me = await aws(session, 'sts', 'get-caller-identity');
    expect(JSON.parse(me.stdout)).toMatchObject({ Account: '444455556666', Arn: 'arn:aws:sts::444455556666:assumed-role/keydeck-console/cli' });
    const created = await aws(session, 'kms', 'create-key', '--description', 'made by a session');
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).KeyMetadata.Arn).toMatch(/^arn:aws:kms:us-east-1:444455556666:key\//);
    // Data-plane calls run on the server's worker threads, which accept the session too.
    const keyId = JSON.parse(created.stdout).KeyMetadata.KeyId as string;
    const encrypted = await aws(session, 'kms', 'encrypt', '--key-id', keyId, '--plaintext', 'aGVsbG8=');
    expect(encrypted.code, encrypted.stderr).toBe(0);
  });

  it('assume-role as the auditor is AccessDenied, printed as the CLI prints STS errors', async () => {
    const auditor = hermetic({ AWS_ACCESS_KEY_ID: 'AKIAAUDITOR00000001', AWS_SECRET_ACCESS_KEY: 'auditor-secret' });
    const result = await aws(auditor, 'sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'cli');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/keydeck-console',
    );
  });
});

describe.skipIf(missing('python3', ['-c', 'import boto3']))('boto3 against the emulator', () => {
  it('assumes the role and lists the partner account keys with the session', async () => {
    const script = `
import boto3, json, sys
endpoint, role = sys.argv[1], sys.argv[2]
sts = boto3.client('sts', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
creds = sts.assume_role(RoleArn=role, RoleSessionName='boto3')['Credentials']
session = boto3.client('sts', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=creds['AccessKeyId'],
                       aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'])
kms = boto3.client('kms', endpoint_url=endpoint, region_name='eu-west-1', aws_access_key_id=creds['AccessKeyId'],
                   aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'])
kms.create_key(Description='boto3 session key')
print(json.dumps({'arn': session.get_caller_identity()['Arn'], 'keys': len(kms.list_keys()['Keys']), 'expires': creds['Expiration'].isoformat()}))
`;
    const result = await run('python3', ['-c', script, emulator.endpoint, ROLE], hermetic({}));
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { arn: string; keys: number; expires: string };
    expect(out.arn).toBe('arn:aws:sts::444455556666:assumed-role/keydeck-console/boto3');
    expect(out.keys).toBe(1);
    expect(new Date(out.expires).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('the server log', () => {
  it('logs STS calls by operation, never a credential', () => {
    const log = emulator.stdout();
    expect(log).toMatch(/ sts:AssumeRole us-east-1 - 200 /);
    expect(log).toMatch(/ sts:AssumeRole us-east-1 - 403 AccessDenied /);
    expect(log).not.toMatch(/ASIA[A-Z2-7]{16}/);
  });
});
