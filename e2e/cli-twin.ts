/**
 * Runs the AWS CLI commands a page shows, exactly as shown (the text of its code block, credentials line
 * included), with the machine's `aws` in a clean environment: no AWS_* variables, profiles or metadata
 * service of the machine, so the command's own `export` line and `--endpoint-url` are all that count.
 */
import { execFile, spawnSync } from 'node:child_process';

/** Why the CLI runs are skipped, or null when the machine has the AWS CLI. */
export const awsMissing: string | null = (() => {
  const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 120_000 });
  return probe.error || probe.status !== 0 ? `the AWS CLI is missing (aws --version: ${probe.error?.message ?? probe.stderr.trim()})` : null;
})();

const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
Object.assign(env, { AWS_PAGER: '', AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `text` (one command a line) with bash -euo pipefail in `cwd`. */
export function runShown(text: string, cwd: string, timeoutMs = 240_000): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-euo', 'pipefail', '-c', text], { cwd, env, timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
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
