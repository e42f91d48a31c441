/**
 * Signs in through the sign-in page once per run and saves each browser state for the other projects:
 * the three demo personas on the demo console, and the aws-mode console's local admin (made with
 * `npm run users` before that console started, see playwright.config.ts). Also makes, with the same CLI,
 * the local user whose lockout e2e/auth.spec.ts checks.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test as setup } from '@playwright/test';

const stateOf = (name: string) => path.join(process.env.KEYDECK_E2E_AUTH_DIR!, `${name}.json`);
const PERSONAS = [
  { state: 'admin', name: 'Ada Admin' },
  { state: 'operator', name: 'Otto Operator' },
  { state: 'viewer', name: 'Vera Viewer' },
];

for (const persona of PERSONAS) {
  setup(`sign in as ${persona.name}`, async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('button', { name: `Sign in as ${persona.name}` }).click();
    await expect(page).toHaveURL(/\/keys$/);
    await expect(page.getByRole('button', { name: new RegExp(persona.name) })).toBeVisible();
    await page.context().storageState({ path: stateOf(persona.state) });
  });
}

setup('sign in as Ada Admin on the second demo console', async ({ page }) => {
  await page.goto(`${process.env.KEYDECK_E2E_URL_B}/signin`);
  await page.getByRole('button', { name: 'Sign in as Ada Admin' }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await page.context().storageState({ path: stateOf('admin-b') });
});

setup('sign in as the local admin of the aws-mode console', async ({ page }) => {
  // Back to Settings, not the inventory: loading /keys now would cache it before aws-mode.spec.ts makes its keys.
  await page.goto(`${process.env.KEYDECK_E2E_AWS_URL}/signin?next=%2Fsettings`);
  // aws mode offers no demo personas.
  await expect(page.getByRole('button', { name: /Sign in as/ })).toHaveCount(0);
  await page.getByLabel('User name').fill(process.env.KEYDECK_E2E_AWS_ADMIN!);
  await page.getByLabel('Password').fill(process.env.KEYDECK_E2E_AWS_ADMIN_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await page.context().storageState({ path: stateOf('aws-admin') });
});

setup('make the local user of the lockout test with the CLI', () => {
  setup.setTimeout(180_000);
  const result = spawnSync('npm', ['run', '-s', 'users', '--', 'add', 'locky', '--role', 'viewer'], {
    env: { ...process.env, KEYDECK_MODE: 'demo', KEYDECK_DATA_DIR: process.env.KEYDECK_E2E_DATA_DIR, KEYDECK_NEW_PASSWORD: 'locky the local user' },
    encoding: 'utf8',
  });
  expect(result.stderr.replace(/npm warn.*\n/g, '')).toBe('');
  expect(result.stdout).toContain('Added locky (viewer).');
});
