/**
 * A warm AWS CLI for tests that run many shown `aws` commands: scripts/test-support/aws-cli-forkserver.py,
 * started with the Python interpreter of the machine's `aws` (awscli v1), answers an `aws` on a PATH
 * directory of its own by forking its warmed CLI per command. Commands keep their shell (pipes, redirects,
 * `export` lines): only the `aws` process is the forked one instead of a cold start.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./aws-cli-forkserver.py', import.meta.url));

export interface WarmAwsCli {
  /** Put first on PATH: holds the `aws` that runs commands in the warm CLI. */
  binDir: string;
  /** awscli's version, the same as `aws --version` prints. */
  version: string;
  stop(): void;
}

/** The interpreter of the machine's `aws` when it is awscli v1's Python script (through a pyenv shim too), else why not. */
export function awsInterpreter(env: NodeJS.ProcessEnv): { python: string } | { reason: string } {
  const found = spawnSync('bash', ['-c', 'command -v aws'], { env, encoding: 'utf8' }).stdout.trim();
  if (!found) return { reason: 'no aws on PATH' };
  let script = found;
  let head = fs.readFileSync(script, 'utf8').slice(0, 4096);
  if (/\bpyenv\b/.test(head)) {
    script = spawnSync('pyenv', ['which', 'aws'], { env, encoding: 'utf8' }).stdout.trim();
    if (!script) return { reason: `${found} is a pyenv shim that pyenv cannot resolve` };
    head = fs.readFileSync(script, 'utf8').slice(0, 4096);
  }
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
  if (!shebang || !head.includes('awscli.clidriver')) return { reason: `${script} is not awscli v1's Python script` };
  return { python: path.basename(shebang[1]) === 'env' && shebang[2] ? shebang[2] : shebang[1] };
}

/**
 * Starts the forkserver in `env` (the environment the commands run in, without their own `export`s) and
 * resolves once it listens; resolves `{ reason }` where the machine's `aws` cannot be run warm, or the
 * server's awscli is not the `aws --version` one (`expectedVersion`, e.g. "1.45.11").
 */
export function startWarmAwsCli(env: NodeJS.ProcessEnv, expectedVersion: string, startTimeoutMs = 120_000): Promise<WarmAwsCli | { reason: string }> {
  const interpreter = awsInterpreter(env);
  if ('reason' in interpreter) return Promise.resolve(interpreter);
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-warm-'));
  const child = spawn(interpreter.python, [SERVER, path.join(binDir, 'aws.sock'), path.join(binDir, 'aws')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const stop = () => {
    // Closing its stdin ends the server; a kill covers a server stuck before its loop.
    child.stdin.end();
    child.kill();
    fs.rmSync(binDir, { recursive: true, force: true });
  };
  // The tests' process may end without calling stop (a worker torn down): the server must not outlive it.
  process.once('exit', stop);
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref();
  child.unref();
  return new Promise((resolve) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      stop();
      process.off('exit', stop);
      resolve({ reason });
    };
    const timer = setTimeout(() => fail(`the warm AWS CLI did not start within ${startTimeoutMs} ms: ${err.trim()}`), startTimeoutMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', (error) => fail(`the warm AWS CLI did not start: ${error.message}`));
    child.once('exit', (code) => fail(`the warm AWS CLI exited (${code}) before it listened: ${err.trim()}`));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const ready = /^ready (\S+)\n/.exec(out);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      if (ready[1] !== expectedVersion) return fail(`the warm AWS CLI is awscli ${ready[1]}, the machine's aws is ${expectedVersion}`);
      resolve({ binDir, version: ready[1], stop });
    });
  });
}
