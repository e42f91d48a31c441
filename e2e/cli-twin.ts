/**
 * Runs the AWS CLI commands a page shows, exactly as shown (the text of its code block, credentials line
 * included), with the machine's `aws` in a clean environment: no AWS_* variables, profiles or metadata
 * service of the machine, so the command's own `export` line and `--endpoint-url` are all that count.
 * The `aws` of a command is the machine's AWS CLI kept warm (scripts/test-support/aws-cli-warm.ts: its own
 * code, forked per command instead of a cold Python start of seconds) unless a call asks for the executable.
 */
import { execFile, spawnSync } from 'node:child_process';
import { startWarmAwsCli, type WarmAwsCli } from '../scripts/test-support/aws-cli-warm';

const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 120_000 });

/** Why the CLI runs are skipped, or null when the machine has the AWS CLI. */
export const awsMissing: string | null = probe.error || probe.status !== 0 ? `the AWS CLI is missing (aws --version: ${probe.error?.message ?? probe.stderr.trim()})` : null;

const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
Object.assign(env, { AWS_PAGER: '', AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

let warm: Promise<WarmAwsCli | null> | undefined;

/** The warm AWS CLI of this worker, started on first use; null (and said once) where it cannot run. */
function warmAws(): Promise<WarmAwsCli | null> {
  warm ??= (async () => {
    // `aws-cli/1.45.11 Python/3.11.7 …` (v1 prints it on stdout, older ones on stderr).
    const version = /aws-cli\/(\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1] ?? 'unknown';
    const started = await startWarmAwsCli(env, version);
    if ('reason' in started) {
      console.log(`cli-twin: running the aws executable for every shown command: ${started.reason}`);
      return null;
    }
    return started;
  })();
  return warm;
}

export interface RunOptions {
  /** `binary`: the `aws` executable on PATH, a cold process per command, instead of the warm AWS CLI. */
  aws?: 'warm' | 'binary';
  timeoutMs?: number;
}

/** Runs `text` (one command a line) with bash -euo pipefail in `cwd`. */
export async function runShown(text: string, cwd: string, { aws = 'warm', timeoutMs = 240_000 }: RunOptions = {}): Promise<ShellResult> {
  const cli = aws === 'warm' && !awsMissing ? await warmAws() : null;
  const runEnv = cli ? { ...env, PATH: `${cli.binDir}:${env.PATH}` } : env;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', text], { cwd, env: runEnv, timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The exception name the AWS CLI printed: "An error occurred (NotFoundException) when calling …". */
export const cliErrorName = (stderr: string) => /An error occurred \(([A-Za-z]+)\)/.exec(stderr)?.[1];

/** The credentials of a shown `export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…` line. */
export function shownCredentials(text: string): { accessKeyId: string; secretAccessKey: string } {
  const id = /AWS_ACCESS_KEY_ID=(\S+)/.exec(text)?.[1];
  const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(text)?.[1];
  if (!id || !secret) throw new Error(`no credentials line in: ${text}`);
  return { accessKeyId: id, secretAccessKey: secret };
}

/** The value of `--option` in a shown command (bare or single-quoted). */
export function shownOption(text: string, option: string): string | undefined {
  const m = new RegExp(`--${option} ('(?:[^']|'\\\\'')*'|\\S+)`).exec(text);
  if (!m) return undefined;
  const raw = m[1];
  return raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
}
