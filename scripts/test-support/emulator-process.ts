/** Runs the standalone emulator (npm run emulator) as a child process, for tests that need a real HTTP endpoint. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BANNER = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;

export interface EmulatorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EmulatorProcess {
  endpoint: string;
  port: number;
  pid: number;
  /** Everything the server has written to stdout so far (banner and request log). */
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves when the process has exited; SIGKILLs it if it has not within `graceMs`. */
  stop(signal: NodeJS.Signals, graceMs?: number): Promise<EmulatorExit>;
}

/** Starts `scripts/start-emulator.mjs --port 0 ...args` and resolves once its banner names the port it listens on. */
export function startEmulator(args: string[], startTimeoutMs = 20_000): Promise<EmulatorProcess> {
  // The same launcher as `npm run emulator`, so the tests cover what users run.
  const child = spawn(process.execPath, ['scripts/start-emulator.mjs', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<EmulatorExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const stop = async (signal: NodeJS.Signals, graceMs = 10_000): Promise<EmulatorExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`the emulator printed no banner within ${startTimeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, startTimeoutMs);
    const onData = () => {
      const m = BANNER.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({ endpoint: m[1], port: Number(m[2]), pid: child.pid!, stdout: () => out, stderr: () => err, stop });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (code ${code}, signal ${signal}) before listening\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}
