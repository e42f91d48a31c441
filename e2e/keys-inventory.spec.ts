import fs from 'node:fs/promises';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect, test, type Page } from '@playwright/test';

// eu-west-1 belongs to this spec alone: the counts below assume only the keys seeded here.
const REGION = 'eu-west-1';
const INVENTORY = `/keys?region=${REGION}`;

const tags = (team: string, env?: string) => [{ TagKey: 'team', TagValue: team }, ...(env ? [{ TagKey: 'env', TagValue: env }] : [])];

const SEED: Array<{ alias: string; key: CreateKeyCommandInput; rotationDays?: number; disable?: boolean; deleteInDays?: number }> = [
  { alias: 'alias/e2e/orders-db', key: { Description: 'Orders database', Tags: tags('orders', 'prod') }, rotationDays: 180 },
  { alias: 'alias/e2e/orders-cache', key: { Description: 'Orders cache', Tags: tags('orders', 'dev') }, disable: true },
  { alias: 'alias/e2e/reports', key: { Description: 'Nightly reports', Tags: tags('data') } },
  { alias: 'alias/e2e/signing', key: { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'Release signing', Tags: tags('release') } },
  { alias: 'alias/e2e/webhooks', key: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'Webhook MACs' } },
  { alias: 'alias/e2e/legacy', key: { Description: 'Legacy, retiring' }, deleteInDays: 7 },
];
const keyIds = new Map<string, string>();

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const seed of SEED) {
    const KeyId = (await kms.send(new CreateKeyCommand(seed.key))).KeyMetadata!.KeyId!;
    keyIds.set(seed.alias, KeyId);
    await kms.send(new CreateAliasCommand({ AliasName: seed.alias, TargetKeyId: KeyId }));
    if (seed.rotationDays) await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: seed.rotationDays }));
    if (seed.disable) await kms.send(new DisableKeyCommand({ KeyId }));
    if (seed.deleteInDays) await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: seed.deleteInDays }));
  }
  kms.destroy();
});

/** Opens a view and waits until the page is interactive (the refresh time turns relative once React runs). */
async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByText(/Refreshed (just now|\d+ (s|min|h) ago)/)).toBeVisible();
}

const aliasLinks = (page: Page) => page.getByRole('table').getByRole('link');

test('lists the seeded keys with their details', async ({ page }) => {
  await open(page, INVENTORY);
  await expect(page.getByText(/^6 keys$/)).toBeVisible();
  await expect(aliasLinks(page)).toHaveCount(6);
  const ordersRow = page.getByRole('row').filter({ hasText: 'alias/e2e/orders-db' });
  await expect(ordersRow.getByRole('cell')).toContainText(['alias/e2e/orders-db', keyIds.get('alias/e2e/orders-db')!, 'Enabled', 'Symmetric', 'SYMMETRIC_DEFAULT', 'Encrypt & decrypt', 'AWS KMS', 'No', 'On · 180 d']);
  await expect(page.getByRole('row').filter({ hasText: 'alias/e2e/legacy' })).toContainText('Pending deletion');
  await expect(page.getByRole('row').filter({ hasText: 'alias/e2e/webhooks' })).toContainText('HMAC');
});

test('search narrows the rows and is kept in the URL', async ({ page }) => {
  await open(page, INVENTORY);
  await page.getByLabel('Search keys', { exact: true }).fill('orders');
  await expect(aliasLinks(page)).toHaveText(['alias/e2e/orders-cache', 'alias/e2e/orders-db']);
  await expect(page.getByText('Showing 2 of 6 keys')).toBeVisible();
  await expect(page).toHaveURL(/[?&]q=orders/);

  // Tags and descriptions are searched too.
  await page.getByLabel('Search keys', { exact: true }).fill('team=release');
  await expect(aliasLinks(page)).toHaveText(['alias/e2e/signing']);
  await page.getByLabel('Search keys', { exact: true }).fill('nightly');
  await expect(aliasLinks(page)).toHaveText(['alias/e2e/reports']);
});

test('a status filter and a sort are reflected in the URL and survive a reload', async ({ page }) => {
  await open(page, INVENTORY);
  await page.getByLabel('Status').selectOption('Enabled');
  await page.getByRole('button', { name: 'Created' }).click();
  await page.getByRole('button', { name: 'Created' }).click();
  await expect(page.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/[?&]status=Enabled/);
  await expect(page).toHaveURL(/[?&]sort=created/);
  await expect(page).toHaveURL(/[?&]dir=desc/);
  const expected = ['alias/e2e/webhooks', 'alias/e2e/signing', 'alias/e2e/reports', 'alias/e2e/orders-db'];
  await expect(aliasLinks(page)).toHaveText(expected);

  await page.reload();
  await expect(page.getByLabel('Status')).toHaveValue('Enabled');
  await expect(page.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
  await expect(aliasLinks(page)).toHaveText(expected);
});

test('a shared URL reproduces the view', async ({ browser, baseURL }) => {
  // A new browser context: no state but the link (and the signed-in user's cookie).
  const context = await browser.newContext({ baseURL, storageState: test.info().project.use.storageState });
  const page = await context.newPage();
  await open(page, `${INVENTORY}&q=orders&rotation=on&sort=alias&dir=desc`);
  await expect(page.getByLabel('Search keys', { exact: true })).toHaveValue('orders');
  await expect(page.getByLabel('Rotation')).toHaveValue('on');
  await expect(page.getByRole('columnheader', { name: 'Aliases' })).toHaveAttribute('aria-sort', 'descending');
  await expect(aliasLinks(page)).toHaveText(['alias/e2e/orders-db']);
  await expect(page.getByText('Showing 1 of 6 keys')).toBeVisible();

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(aliasLinks(page)).toHaveCount(6);
  await expect(page.getByLabel('Search keys', { exact: true })).toHaveValue('');
  await expect(page).not.toHaveURL(/[?&](q|rotation)=/);
  await context.close();
});

test('CSV export downloads the rows of the current view', async ({ page }) => {
  await open(page, `${INVENTORY}&tag=team%3Dorders`);
  await expect(aliasLinks(page)).toHaveCount(2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^keydeck-keys-eu-west-1-.*\.csv$/);
  const csv = await fs.readFile((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toContain('Key ID');
  expect(lines[1]).toContain(`alias/e2e/orders-cache,${keyIds.get('alias/e2e/orders-cache')}`);
  expect(lines[2]).toContain(`alias/e2e/orders-db,${keyIds.get('alias/e2e/orders-db')}`);
  await expect(page.getByText('CSV exported', { exact: true })).toBeVisible();
});

test('the command palette jumps to a key by alias', async ({ page }) => {
  await open(page, INVENTORY);
  await page.keyboard.press('Control+K');
  const input = page.getByRole('combobox', { name: 'Search keys and sections' });
  await expect(input).toBeFocused();
  await input.fill('signing');
  await expect(page.getByRole('option').first()).toContainText('alias/e2e/signing');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/keys/${keyIds.get('alias/e2e/signing')}\\?region=${REGION}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'alias/e2e/signing' })).toBeVisible();
  await expect(page.getByText('RSASSA_PSS_SHA_256')).toBeVisible();
});

test('refresh reloads the inventory from KMS', async ({ page }) => {
  await open(page, INVENTORY);
  const refresh = page.getByRole('button', { name: 'Refresh' });
  await refresh.click();
  await expect(refresh).toBeEnabled();
  await expect(page.getByText(/Refreshed just now/)).toBeVisible();
  await expect(aliasLinks(page)).toHaveCount(6);
});

test('the theme toggle switches to dark and back, and the choice survives a reload', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await open(page, INVENTORY);
  const html = page.locator('html');
  await expect(html).not.toHaveClass(/dark/);
  await page.screenshot({ path: testInfo.outputPath('keys-light.png') });

  await page.getByRole('button', { name: /^Theme: system/ }).click();
  await page.getByRole('button', { name: /^Theme: light/ }).click();
  await expect(html).toHaveClass(/dark/);
  await page.reload();
  // Set by the inline script before first paint, not after hydration.
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
  await expect(page.getByRole('button', { name: /^Theme: dark/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('keys-dark.png') });

  await page.getByRole('button', { name: /^Theme: dark/ }).click();
  await expect(html).not.toHaveClass(/dark/);
});

test('axe finds no serious or critical accessibility violations on the inventory and a key', async ({ page }) => {
  for (const url of [INVENTORY, `/keys/${keyIds.get('alias/e2e/orders-db')}?region=${REGION}`]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const { violations } = await axeScan(page);
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `${url} in ${colorScheme}`).toEqual([]);
    }
  }
});
