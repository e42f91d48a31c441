/**
 * The usage settings and sync status this branch owns (the first demo console): Settings → Usage
 * retention (admin only, inline errors, saved), and the sync status's last sync of every Region with the
 * sync's real rate (the e2e console syncs at KEYDECK_DEMO_SYNC_RATE=2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const SHOTS = '/tmp/usage-settings-shots';
const stateOf = (name: 'admin' | 'viewer') => path.join(process.env.KEYDECK_E2E_AUTH_DIR!, `${name}.json`);

test('Settings → Usage retention refuses a bad value inline, saves a good one, and shows it', async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.goto('/settings');
  const card = page.getByRole('region', { name: 'Usage retention' });
  const raw = card.getByRole('spinbutton', { name: /Raw events \(days\)/ });
  const rollups = card.getByRole('spinbutton', { name: /Roll-ups \(days\)/ });
  await expect(raw).toHaveValue('90');
  await expect(rollups).toHaveValue('400');
  await expect(card.getByRole('button', { name: 'Save' })).toBeDisabled();

  // Roll-ups shorter than the raw events: refused by the server, next to the field, nothing saved.
  await rollups.fill('30');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.getByRole('alert')).toHaveText('ValidationException: rollupDays: must be at least as long as the raw events are kept');
  await expect(rollups).toHaveAttribute('aria-invalid', 'true');
  await card.scrollIntoViewIfNeeded();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await card.screenshot({ path: `${SHOTS}/settings-retention-error-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Longer roll-ups (nothing the other specs use is pruned), then back to the default.
  await rollups.fill('500');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.getByText(/Now: raw events 90 days, roll-ups 500 days · 0 older events deleted/)).toBeVisible();
  await expect(card.getByRole('alert')).toHaveCount(0);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await card.screenshot({ path: `${SHOTS}/settings-retention-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  await expect(page.getByRole('region', { name: 'Usage retention' }).getByRole('spinbutton', { name: /Roll-ups/ })).toHaveValue('500');
  await rollups.fill('400');
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.getByText(/Now: raw events 90 days, roll-ups 400 days/)).toBeVisible();

  // The data source card states the sync's real rate and first-sync window.
  await expect(page.getByRole('region', { name: 'Usage data source' })).toContainText('first sync: the last 90 days; 2 requests/s per account and Region');
});

test.describe('as a viewer', () => {
  test.use({ storageState: stateOf('viewer') });
  test('the retention is shown but cannot be changed', async ({ page }) => {
    await page.goto('/settings');
    const card = page.getByRole('region', { name: 'Usage retention' });
    await expect(card.getByRole('spinbutton', { name: /Raw events/ })).toBeDisabled();
    await expect(card.getByRole('button', { name: 'Save' })).toBeDisabled();
  });
});

test('the sync status shows the real rate and the last sync of every Region', async ({ page }) => {
  await page.goto('/usage?region=us-east-1');
  const sync = page.getByRole('region', { name: 'CloudTrail sync' });
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 90_000 });
  await expect(sync).toContainText('LookupEvents, 2 requests/s per account and Region, 50 events a page');
  await sync.getByText(/Last sync of every account and Region \(3\)/).click();
  const table = sync.getByRole('table', { name: 'Last CloudTrail sync per account and Region' });
  await expect(table.getByRole('row')).toHaveCount(4);
  for (const region of ['us-east-1', 'eu-west-1', 'eu-west-2']) await expect(table.getByRole('row', { name: new RegExp(region) })).toBeVisible();
  // The first sync of every Region finishes in the background.
  await expect(table.getByRole('row', { name: /not synced yet|syncing/ })).toHaveCount(0, { timeout: 120_000 });
  await sync.scrollIntoViewIfNeeded();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await sync.screenshot({ path: `${SHOTS}/usage-sync-status-${colorScheme}.png` });
  }
});
