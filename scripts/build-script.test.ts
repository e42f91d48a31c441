/** `npm run build` (and so `npm run demo`'s and the e2e suite's builds) fails when the client bundle leaks. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
const buildScript: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.build;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs package.json's build script as npm would (node_modules/.bin first on PATH) in a scratch project whose
 * `next` stands in for `next build`: it writes `chunk` as the one browser chunk of `.next/static`.
 */
function build(chunk: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-build-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(root, 'scripts', 'check-client-bundle.mjs'), path.join(dir, 'scripts', 'check-client-bundle.mjs'));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  const next = path.join(dir, 'node_modules', '.bin', 'next');
  fs.writeFileSync(next, `#!/bin/sh\nmkdir -p .next/static/chunks && printf '%s' '${chunk}' > .next/static/chunks/app.js\n`, { mode: 0o755 });
  return spawnSync('sh', ['-c', buildScript], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(dir, 'node_modules', '.bin')}:${process.env.PATH}`, AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' },
  });
}

describe('npm run build', () => {
  it('fails when next build made a browser chunk with the AWS SDK in it', () => {
    const result = build('const m={name:"serializerMiddleware"},s="AWS4-HMAC-SHA256";');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('serializerMiddleware');
  });

  it('passes a clean bundle', () => {
    const result = build('function a(){return fetch("/api/keys")}');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
