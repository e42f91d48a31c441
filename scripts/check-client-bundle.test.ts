import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanBundle } from './check-client-bundle.mjs';

const SCRIPT = path.join(__dirname, 'check-client-bundle.mjs');
const dirs: string[] = [];

function bundleDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-bundle-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const run = (dir: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8', env: { ...process.env, AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', ...env } });

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const CLEAN = {
  'chunks/app.js': 'function a(){return fetch("/api/keys?region=us-east-1")}const b="ThrottlingException",c="AKIA";',
  'chunks/app.css': '.dark{color:#fff}',
};

describe('check-client-bundle', () => {
  it('passes a clean bundle (AWS words alone are not findings)', () => {
    const dir = bundleDir(CLEAN);
    expect(scanBundle(dir, {})).toEqual([]);
    const result = run(dir, { AWS_SECRET_ACCESS_KEY: 'test' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('no credentials, AWS SDK server code or emulator');
  });

  it('fails on the SDK, the emulator and credentials, naming each file and marker', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = 'FwoGZXIvYXdzEBYaDH7session+token/value==';
    const dir = bundleDir({
      ...CLEAN,
      'chunks/sdk.js': 'e.add(t,{step:"deserialize",name:"deserializerMiddleware"})',
      'chunks/signer.js': 'const A="AWS4-HMAC-SHA256",S="aws4_request";',
      'chunks/emulator.js': 'throw new X("An internal error occurred in the KMS emulator.")',
      'chunks/validate.js': 'throw new S(`Could not deserialize \'${m}\': expected a base64-encoded blob`)',
      'chunks/creds.js': `const c={accessKeyId:"AKIAIOSFODNN7EXAMPLE",secretAccessKey:"${secret}"}`,
      'nested/dir/token.js': `x="${token}"`,
      'chunks/env-secret.js': `y="prefix-s3cr3t-value-from-env-0123-suffix"`,
      'chunks/zod.js': 'class t extends Error{constructor(){super(),this.name="ZodEncodeError"}}',
    });
    const result = run(dir, { AWS_SESSION_TOKEN: token, AWS_SECRET_ACCESS_KEY: 's3cr3t-value-from-env-0123' });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines).toContain('  chunks/sdk.js: AWS SDK server code (deserializerMiddleware)');
    expect(lines).toContain('  chunks/signer.js: AWS SDK server code (AWS4-HMAC-SHA256)');
    expect(lines).toContain('  chunks/emulator.js: the KMS emulator ("An internal error occurred in the KMS emulator.")');
    expect(lines).toContain('  chunks/validate.js: the KMS emulator ("expected a base64-encoded blob")');
    expect(lines).toContain('  chunks/creds.js: an AWS access key id (AKIA…) next to a secret access key');
    expect(lines).toContain(`  ${path.join('nested', 'dir', 'token.js')}: the value of AWS_SESSION_TOKEN`);
    expect(lines).toContain('  chunks/env-secret.js: the value of AWS_SECRET_ACCESS_KEY');
    expect(lines).toContain('  chunks/zod.js: zod, a server-side validator (ZodEncodeError)');
    // It names what it found, never the secret itself.
    expect(result.stderr).not.toContain(secret);
    expect(result.stderr).not.toContain(token);
    expect(result.stderr).not.toContain('s3cr3t');
  });

  it('does not take an access key id alone, or a short env value, for a leak', () => {
    const dir = bundleDir({ 'a.js': 'const docs="e.g. AKIAIOSFODNN7EXAMPLE";const v="test";' });
    expect(run(dir, { AWS_SECRET_ACCESS_KEY: 'test' }).status).toBe(0);
  });

  it('exits 2 when there is no build to check', () => {
    expect(run(path.join(os.tmpdir(), 'keydeck-no-such-build')).status).toBe(2);
  });
});
