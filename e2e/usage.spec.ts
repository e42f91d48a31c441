import fs from 'node:fs';
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// us-east-1 traffic made here; the assertions filter on this spec's own keys, so other specs' calls do not matter.
const REGION = 'us-east-1';
const SHOTS = '/tmp/usageperf-shots';

const client = (baseURL: string, accessKeyId: string, secretAccessKey: string) =>
  new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId, secretAccessKey } });

async function inBatches(n: number, call: (i: number) => Promise<unknown>) {
  for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => call(i + j).catch(() => undefined)));
}

test.describe.configure({ mode: 'serial' });
let ordersKeyId = '';

test.beforeAll(async ({ baseURL }, testInfo) => {
  // ~800 KMS calls through the console's endpoint: seconds on a quiet machine, more on a busy one.
  testInfo.setTimeout(180_000);
  const admin = client(baseURL!, 'test', 'test');
  const app = client(baseURL!, 'AKIAAPPLICATION0001', 'application-secret');
  const auditor = client(baseURL!, 'AKIAAUDITOR00000001', 'auditor-secret');
  const orders = (await admin.send(new CreateKeyCommand({ Description: 'Orders (usage e2e)' }))).KeyMetadata!.KeyId!;
  await admin.send(new CreateAliasCommand({ AliasName: 'alias/usage-e2e/orders', TargetKeyId: orders }));
  ordersKeyId = orders;
  // A key created with Keydeck's user agent: its two calls are Keydeck's own.
  const keydeck = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, customUserAgent: 'keydeck/e2e' });
  const idle = (await keydeck.send(new CreateKeyCommand({ Description: 'Idle (usage e2e)' }))).KeyMetadata!.KeyId!;
  await keydeck.send(new CreateAliasCommand({ AliasName: 'alias/usage-e2e/idle', TargetKeyId: idle }));
  keydeck.destroy();
  const staging = (await admin.send(new CreateKeyCommand({ Description: 'Staging (usage e2e)' }))).KeyMetadata!.KeyId!;
  await admin.send(new CreateAliasCommand({ AliasName: 'alias/usage-e2e/staging', TargetKeyId: staging }));
  await admin.send(new DisableKeyCommand({ KeyId: staging }));
  // An application encrypting and decrypting, a job making data keys, a misconfigured auditor, and
  // someone trying the disabled key: ~600 CloudTrail events, a dozen LookupEvents pages.
  await inBatches(180, async () => {
    const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId: orders, Plaintext: Buffer.from('order 42') }));
    await app.send(new DecryptCommand({ CiphertextBlob }));
  });
  await inBatches(160, () => app.send(new GenerateDataKeyCommand({ KeyId: orders, KeySpec: 'AES_256' })));
  await inBatches(40, () => auditor.send(new EncryptCommand({ KeyId: orders, Plaintext: Buffer.from('x') })));
  await inBatches(25, () => admin.send(new EncryptCommand({ KeyId: staging, Plaintext: Buffer.from('x') })));
  for (const c of [admin, app, auditor]) c.destroy();
  fs.mkdirSync(SHOTS, { recursive: true });
});

async function openUsage(page: Page, query = '') {
  await page.goto(`/usage?region=${REGION}&range=24h${query}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Usage & cost' })).toBeVisible();
}

const panel = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test('sync now shows a progress bar that completes', async ({ page }) => {
  test.setTimeout(150_000);
  await openUsage(page);
  const sync = page.getByRole('region', { name: 'CloudTrail sync' });
  // The start-up sync of an empty trail may still be finishing; then ask for a new one.
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 60_000 });
  await sync.getByRole('button', { name: 'Sync now' }).click();
  const bar = page.getByRole('progressbar', { name: 'CloudTrail sync progress' });
  await expect(bar).toBeVisible();
  await expect(sync.getByText(/\d+ pages · \d+ events/)).toBeVisible();
  await expect(bar).toBeHidden({ timeout: 90_000 });
  await expect(sync.getByText(/Last synced \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)).toBeVisible();
  // The charts reload from the store once the sync is done.
  await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible({ timeout: 20_000 });
});

test('the history renders every chart, the cost cards and the events', async ({ page }) => {
  test.setTimeout(180_000);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await openUsage(page);
    const calls = panel(page, 'Calls over time');
    await expect(calls.getByRole('img', { name: /Calls over time by operation/ })).toBeVisible();
    await expect(calls.locator('canvas')).toBeVisible();
    for (const op of ['Encrypt', 'Decrypt', 'GenerateDataKey']) await expect(calls.getByRole('button', { name: new RegExp(`^${op} `) })).toBeVisible();
    const errors = panel(page, 'Errors over time');
    await expect(errors.locator('canvas')).toBeVisible();
    await expect(errors.getByRole('button', { name: /^AccessDenied / })).toBeVisible();
    await expect(errors.getByRole('button', { name: /^DisabledException / })).toBeVisible();
    await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible();
    await expect(panel(page, 'Top callers').getByRole('button', { name: /role\/app/ })).toBeVisible();
    const peak = panel(page, 'Peak requests per second');
    await expect(peak.locator('canvas')).toBeVisible();
    await expect(peak.getByText('Quota 100,000/s (us-east-1)')).toBeVisible();
    await expect(panel(page, 'Cost over time').locator('canvas')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Month to date' })).toContainText('$');
    await expect(page.getByRole('region', { name: 'Forecast this month' })).toContainText(/Range \$[\d.,]+ – \$[\d.,]+/);
    await expect(page.getByRole('table', { name: 'CloudTrail events' }).getByRole('row').nth(1)).toBeVisible();
    // The console scrolls inside its frame, so a tall window shows the whole page.
    await page.setViewportSize({ width: 1440, height: 2300 });
    await page.screenshot({ path: `${SHOTS}/usage-${colorScheme}.png` });
    await page.setViewportSize({ width: 1280, height: 720 });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), colorScheme).toEqual([]);
  }
});

test('picking a key and an error drills into the matching events', async ({ page }) => {
  test.setTimeout(120_000);
  await openUsage(page);
  await panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ }).click();
  await expect(page).toHaveURL(/key=arn%3Aaws%3Akms%3Aus-east-1%3A111122223333%3Akey%2F/);
  await expect(page.getByRole('list', { name: 'Filters' })).toContainText('Key: alias/usage-e2e/orders');
  const table = page.getByRole('table', { name: 'CloudTrail events' });
  const keyCells = table.getByRole('row').locator('td:nth-child(4)');
  await expect(keyCells.first()).toHaveText('alias/usage-e2e/orders');
  expect(new Set(await keyCells.allTextContents())).toEqual(new Set(['alias/usage-e2e/orders']));

  // Then the refused calls on that key: the auditor's AccessDenied.
  await panel(page, 'Errors over time').getByRole('button', { name: /^AccessDenied / }).click();
  await expect(page).toHaveURL(/error=AccessDenied/);
  const errorCells = table.getByRole('row').locator('td:nth-child(6)');
  await expect(errorCells.first()).toHaveText('AccessDenied');
  expect(new Set(await errorCells.allTextContents())).toEqual(new Set(['AccessDenied']));
  // The table is virtualized (only rows near the viewport exist), so the count comes from the card.
  const inRange = page.getByRole('region', { name: 'Calls in range' });
  await expect(inRange.getByText('40', { exact: true })).toBeVisible();
  await expect(inRange).toContainText('40 refused (100.0%)');

  // The event's CloudTrail record opens in place.
  await table.getByRole('button', { name: /^Show event / }).first().click();
  const record = page.getByLabel('CloudTrail record');
  await expect(record).toContainText('"errorCode": "AccessDenied"');
  await expect(record).toContainText('"eventSource": "kms.amazonaws.com"');

  // Dropping the key filter keeps the error filter: the disabled key's refusals are a different code.
  await page.getByRole('list', { name: 'Filters' }).getByRole('button', { name: /Key:/ }).click();
  await panel(page, 'Errors over time').getByRole('button', { name: /^DisabledException / }).click();
  await expect(errorCells.first()).toHaveText('DisabledException');
  await expect(inRange.getByText('25', { exact: true })).toBeVisible();
  await expect(table.getByRole('row').locator('td:nth-child(4)').first()).toHaveText('alias/usage-e2e/staging');
});

test('Keydeck’s own calls can be hidden', async ({ page }) => {
  test.setTimeout(120_000);
  await openUsage(page);
  // The idle key was created with Keydeck's user agent: two calls of the keydeck family.
  const agents = panel(page, 'User agents').getByRole('list', { name: 'User agents' });
  await expect(agents.getByRole('listitem').filter({ hasText: /^keydeck/ })).toContainText('2');
  // The box follows the URL (shareable), so it shows checked once the navigation lands, not at the click.
  const hide = page.getByRole('checkbox', { name: 'Hide Keydeck’s own calls' });
  await hide.click();
  await expect(page).toHaveURL(/own=hide/);
  await expect(hide).toBeChecked();
  await expect(agents.getByRole('listitem').filter({ hasText: /^keydeck/ })).toHaveCount(0);
  await expect(agents.getByRole('listitem').filter({ hasText: /^aws-sdk-js/ })).toBeVisible();
  await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 2300 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/usage-hidden-${colorScheme}.png` });
  }
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('the key detail’s Usage tab shows the key’s calls by API and caller, and its cost per month', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/keys/${ordersKeyId}?region=${REGION}&tab=usage`);
  const tab = page.getByRole('tabpanel', { name: 'Usage' });
  const apis = tab.getByRole('list', { name: 'Calls by API' });
  // 180 Encrypt by the application and 40 refused to the auditor; 180 Decrypt; 160 GenerateDataKey.
  await expect(apis.getByRole('listitem').filter({ hasText: 'Encrypt' }).first()).toContainText('220');
  await expect(apis.getByRole('listitem').filter({ hasText: 'Encrypt' }).first()).toContainText('40 refused');
  await expect(apis.getByRole('listitem').filter({ hasText: 'GenerateDataKey' })).toContainText('160');
  await expect(tab.getByRole('list', { name: 'Callers' })).toContainText('role/app');
  // CreateKey and CreateAlias name the key too.
  await expect(tab).toContainText(/56\d calls in the last 30 d, 40 refused/);
  const cost = tab.getByRole('table', { name: 'Cost per month' });
  await expect(cost.getByRole('row')).toHaveCount(4);
  await expect(cost.getByRole('row').last().getByRole('cell').nth(1)).toHaveText(/^52\d$/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/key-usage-${colorScheme}.png`, fullPage: true });
  }
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
