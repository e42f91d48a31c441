import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticateLocal } from '@/lib/auth/local-accounts';
import { openStore } from '@/lib/store/open';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-users-'));

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function users(args: string[], options: { password?: string; stdin?: string } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEYDECK_DATA_DIR: dataDir, KEYDECK_MODE: 'demo' };
  delete env.KEYDECK_DATABASE_URL;
  delete env.KEYDECK_NEW_PASSWORD;
  if (options.password) env.KEYDECK_NEW_PASSWORD = options.password;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/users.ts', ...args], { env, input: options.stdin ?? '', encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function signInWorks(name: string, password: string): Promise<boolean> {
  const store = await openStore({ dataDir });
  try {
    return (await authenticateLocal(store.db, name, password, Math.floor(Date.now() / 1000))).ok;
  } finally {
    await store.close();
  }
}

// Each run starts Node with tsx's loader (seconds on a busy machine), so one journey covers the commands.
describe('npm run users', () => {
  it('adds, lists, changes the role of, resets, unlocks and removes a local user', async () => {
    expect(users(['add', 'Root', '--role', 'admin', '--email', 'root@example.com'], { password: 'first admin password' })).toMatchObject({ code: 0, out: 'Added root (admin).\n' });
    expect(await signInWorks('root', 'first admin password')).toBe(true);

    const again = users(['add', 'root', '--role', 'viewer'], { password: 'first admin password' });
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists');
    expect(users(['add', 'eve', '--role', 'viewer', 'a-password-argument']).err).toContain('Passwords are never arguments');
    expect(users(['set-role', 'root', '--role', 'operator']).code).toBe(0);

    // The password from a pipe (no terminal): never an argument.
    expect(users(['reset-password', 'root'], { stdin: 'second admin password\n' }).code).toBe(0);
    expect(await signInWorks('root', 'first admin password')).toBe(false);
    expect(await signInWorks('root', 'second admin password')).toBe(true);

    for (let i = 0; i < 5; i++) await signInWorks('root', 'not the password');
    expect(users(['list']).out).toMatch(/^root\toperator\troot@example\.com\tall accounts {2}locked until 20\d\d-/);
    expect(users(['unlock', 'root']).code).toBe(0);
    expect(await signInWorks('root', 'second admin password')).toBe(true);

    expect(users(['remove', 'root']).code).toBe(0);
    expect(await signInWorks('root', 'second admin password')).toBe(false);
  }, 300_000);
});
