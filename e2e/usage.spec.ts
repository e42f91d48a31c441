import fs from 'node:fs';
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, DisableKeyCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect, test, type Page } from '@playwright/test';

// us-east-1 traffic made here; the assertions filter on this spec's own keys, so other specs' calls do not matter.
const REGION = 'us-east-1';
const SHOTS = process.env.E2E_SHOTS ?? '/tmp/usageperf-shots';

const client = (baseURL: string, accessKeyId: string, secretAccessKey: string) =>
  new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId, secretAccessKey } });

async function inBatches(n: number, call: (i: number) => Promise<unknown>) {
  for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => call(i + j).catch(() => undefined)));
}

test.describe.configure({ mode: 'serial' });
let ordersKeyId = '';
let idleKeyId = '';

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
  idleKeyId = idle;
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
  // A key retired too early: scheduled for deletion while a nightly job still encrypts with it.
  const retired = (await admin.send(new CreateKeyCommand({ Description: 'Retired (usage e2e)' }))).KeyMetadata!.KeyId!;
  await admin.send(new CreateAliasCommand({ AliasName: 'alias/usage-e2e/retired', TargetKeyId: retired }));
  await admin.send(new ScheduleKeyDeletionCommand({ KeyId: retired, PendingWindowInDays: 7 }));
  // Calls in the second of the scheduling cannot be told before or after it: the job calls a moment later.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await inBatches(3, () => app.send(new EncryptCommand({ KeyId: retired, Plaintext: Buffer.from('x') })));
  for (const c of [admin, app, auditor]) c.destroy();
  fs.mkdirSync(SHOTS, { recursive: true });
});

async function openUsage(page: Page, query = '') {
  await page.goto(`/usage?region=${REGION}&range=24h${query}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Usage & cost' })).toBeVisible();
}

const panel = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** UTC date `days` from today, as the date inputs take it. */
const utcDate = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** RFC 4180 rows (quoted cells, CRLF line ends), as lib/format/csv.ts writes them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') endCell();
    else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** Clicks "Export charts CSV" and reads the file the browser saves. */
async function chartsCsv(page: Page): Promise<{ name: string; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export charts CSV' }).click()]);
  return { name: download.suggestedFilename(), rows: parseCsv(fs.readFileSync((await download.path())!, 'utf8')) };
}

/** The sync has taken the trail into the store: no sync running, and one finished. */
async function synced(page: Page) {
  const sync = page.getByRole('region', { name: 'CloudTrail sync' });
  await expect(page.getByRole('progressbar', { name: 'CloudTrail sync progress' })).toBeHidden({ timeout: 120_000 });
  await expect(sync.getByText(/Last synced \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)).toBeVisible({ timeout: 60_000 });
}

test('sync now shows a progress bar that completes', async ({ page }) => {
  test.setTimeout(150_000);
  await openUsage(page);
  const sync = page.getByRole('region', { name: 'CloudTrail sync' });
  // The start-up sync of an empty trail may still be finishing; then ask for a new one.
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 60_000 });
  await sync.getByRole('button', { name: 'Sync now' }).click();
  const bar = page.getByRole('progressbar', { name: 'CloudTrail sync progress' });
  // The bar and its counts at once: on a busy machine a short sync can end between two separate checks.
  await expect(sync.filter({ has: bar }).filter({ hasText: /\d+ pages · \d+ events/ })).toBeVisible();
  await expect(bar).toBeHidden({ timeout: 90_000 });
  await expect(sync.getByText(/Last synced \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)).toBeVisible();
  // The charts reload from the store once the sync is done.
  await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible({ timeout: 20_000 });
});

test('the last 24 hours render every chart, the cost cards and the events', async ({ page }) => {
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
    const { violations } = await axeScan(page);
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
  await expect(table.getByRole('row').locator('td:nth-child(4)').first()).toHaveText('alias/usage-e2e/staging');
  // The demo history's disabled keys may be refused in the same hours: the staging key's are this spec's 25.
  await panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/staging/ }).click();
  await expect(inRange.getByText('25', { exact: true })).toBeVisible();
});

test('Keydeck’s own calls can be hidden', async ({ page }) => {
  test.setTimeout(120_000);
  await openUsage(page);
  // The idle key was created with Keydeck's user agent, and the console's own reads are that family too.
  const agents = panel(page, 'User agents').getByRole('list', { name: 'User agents' });
  await expect(agents.getByRole('listitem').filter({ hasText: /^keydeck/ })).toBeVisible();
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
  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('the demo’s 90-day history, synced into the store, renders every chart and the cost cards', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/usage?region=${REGION}&range=90d`);
  // The seeded history reaches the charts only through the usage sync (LookupEvents into the store).
  await synced(page);
  await expect(page.getByRole('radiogroup', { name: 'Time range' }).getByRole('radio', { name: '90 d' })).toHaveAttribute('aria-checked', 'true');
  for (const name of ['Calls over time', 'Errors over time', 'Peak requests per second', 'Cost over time']) await expect(panel(page, name).locator('canvas'), name).toBeVisible();
  // Keys this spec never made: the demo account's, from its history.
  await expect(panel(page, 'Top keys').getByRole('button', { name: /^alias\/(?!usage-e2e\/)/ }).first()).toBeVisible();
  await expect(panel(page, 'Top callers').getByRole('list', { name: 'Top callers' }).getByRole('listitem')).not.toHaveCount(0);
  await expect(panel(page, 'Peak requests per second').getByText('Quota 100,000/s (us-east-1)')).toBeVisible();
  // The demo keys were made 90 days ago: their storage is this month's cost, and whole days of history give the forecast its basis.
  await expect(page.getByRole('region', { name: 'Month to date' }).getByText(/^\$\d/)).not.toHaveText('$0.00');
  await expect(page.getByRole('region', { name: 'Forecast this month' })).toContainText(/Range \$[\d.,]+ – \$[\d.,]+, from the last \d+ days/);

  // What the canvases draw, from the charts' CSV: this spec's calls are all today's, the history's span the 90 days.
  const { rows } = await chartsCsv(page);
  const today = utcDate(0);
  const days = (chart: string) => new Set(rows.filter((r) => r[0] === chart && Number(r[3]) > 0).map((r) => r[1].slice(0, 10)));
  const before = (chart: string, day: string) => [...days(chart)].filter((d) => d < day).length;
  expect(before('calls', utcDate(-60)), 'days of calls more than 60 days ago').toBeGreaterThan(20);
  expect(days('calls').size, 'days with calls').toBeGreaterThan(75);
  expect(before('errors', today), 'days with refused calls before today').toBeGreaterThan(0);
  expect(before('peak symmetric per second', utcDate(-60)), 'days with a busiest second more than 60 days ago').toBeGreaterThan(20);
  expect(before('cost storage USD', utcDate(-60)), 'days of key storage more than 60 days ago').toBeGreaterThan(20);
  expect(rows.filter((r) => r[0] === 'top key').length).toBeGreaterThan(3);
  // The demo applications' sessions count as their roles: role/app made 523 of this spec's calls, the history the rest.
  const app = rows.find((r) => r[0] === 'top caller' && r[2] === 'arn:aws:iam::111122223333:role/app');
  expect(Number(app?.[3])).toBeGreaterThan(1000);

  await page.setViewportSize({ width: 1440, height: 2300 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // uPlot redraws in the scheme's colours once it sees the class change.
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/usage-90d-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('a time bucket clicked on a chart, or a user agent, lists just its events', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/usage?region=${REGION}&range=90d`);
  const table = page.getByRole('table', { name: 'CloudTrail events' });
  const times = table.getByRole('row').locator('td:nth-child(2)');
  const clients = table.getByRole('row').locator('td:nth-child(7)');
  const filters = page.getByRole('list', { name: 'Filters' });
  const chart = panel(page, 'Calls over time').getByRole('img', { name: /^Calls over time by operation/ });
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(times.first()).toHaveText(new RegExp(`^${utcDate(0)} `));

  // Halfway along the 90 days: a day of the history, some 45 days ago.
  const box = (await chart.boundingBox())!;
  await chart.click({ position: { x: box.width * 0.55, y: box.height / 2 } });
  await expect(page).toHaveURL(/[?&]at=\d+&span=86400/);
  const day = new Date(Number(new URL(page.url()).searchParams.get('at')) * 1000).toISOString().slice(0, 10);
  expect(day < utcDate(-20) && day > utcDate(-70), day).toBe(true);
  await expect(filters).toContainText(`Events in: ${day}`);
  await expect(times.first()).toHaveText(new RegExp(`^${day} `));
  expect(new Set((await times.allTextContents()).map((t) => t.slice(0, 10)))).toEqual(new Set([day]));
  // The charts keep the whole range; the events export follows the table.
  await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export events CSV' })).toHaveAttribute('href', /&at=\d+&span=86400/);

  // The keyboard does the same: End is the last bucket (today), Enter picks it.
  await chart.focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(filters).toContainText(`Events in: ${utcDate(0)}`);
  await expect(times.first()).toHaveText(new RegExp(`^${utcDate(0)} `));
  expect(new Set((await times.allTextContents()).map((t) => t.slice(0, 10)))).toEqual(new Set([utcDate(0)]));

  // A user agent, on top of the day: only that client's calls.
  const agents = panel(page, 'User agents').getByRole('list', { name: 'User agents' });
  await agents.getByRole('button', { name: /^aws-sdk-js/ }).click();
  await expect(page).toHaveURL(/[?&]agent=aws-sdk-js/);
  await expect(filters).toContainText('User agent: aws-sdk-js');
  await expect(clients.first()).toHaveText('aws-sdk-js');
  expect(new Set(await clients.allTextContents())).toEqual(new Set(['aws-sdk-js']));
  // Dropping the day keeps the agent: its calls over the 90 days, the history's too.
  await filters.getByRole('button', { name: /^Events in:/ }).click();
  await expect(page).not.toHaveURL(/[?&]at=/);
  await expect(page).toHaveURL(/[?&]agent=aws-sdk-js/);
  await expect(clients.first()).toHaveText('aws-sdk-js');
  await agents.getByRole('button', { name: /^keydeck/ }).click();
  await expect(filters).toContainText('User agent: keydeck');
  await expect(clients.first()).toHaveText('keydeck');
  expect(new Set(await clients.allTextContents())).toEqual(new Set(['keydeck']));
  // Picking it again drops it.
  await agents.getByRole('button', { name: /^keydeck/ }).click();
  await expect(page).not.toHaveURL(/[?&]agent=/);
  await expect(page.getByRole('list', { name: 'Filters' })).toHaveCount(0);
  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('Export charts CSV downloads the series the charts draw', async ({ page }) => {
  test.setTimeout(120_000);
  const orders = `arn:aws:kms:${REGION}:111122223333:key/${ordersKeyId}`;
  await page.goto(`/usage?region=${REGION}&range=24h&key=${encodeURIComponent(orders)}`);
  await expect(panel(page, 'Calls over time').getByRole('button', { name: /^GenerateDataKey / })).toBeVisible();
  const { name, rows } = await chartsCsv(page);
  expect(name).toBe('keydeck-usage-view-us-east-1-24_h.csv');
  expect(rows[0]).toEqual(['chart', 'time', 'item', 'value']);
  for (const r of rows) expect(r, r.join(',')).toHaveLength(4);
  // The application's calls on the orders key: 180 Encrypt, 180 Decrypt, 160 GenerateDataKey (the auditor's 40 were refused).
  expect(rows).toContainEqual(['top caller', '', 'arn:aws:iam::111122223333:role/app', '520']);
  const sum = (chart: string, item: string) => rows.filter((r) => r[0] === chart && r[2] === item).reduce((s, r) => s + Number(r[3]), 0);
  expect(sum('calls', 'GenerateDataKey')).toBe(160);
  expect(sum('errors', 'AccessDenied')).toBe(40);
  const call = rows.find((r) => r[0] === 'calls' && r[2] === 'Encrypt')!;
  expect(call[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
  expect(rows.some((r) => r[0] === 'peak symmetric per second' && Number(r[3]) > 0)).toBe(true);
  expect(rows.some((r) => r[0] === 'cost storage USD' && r[1] === utcDate(0))).toBe(true);
});

test('the key detail’s Usage tab shows the /usage charts for the key, its calls by API and caller, and its cost per month', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`/keys/${ordersKeyId}?region=${REGION}&tab=usage`);
  const tab = page.getByRole('tabpanel', { name: 'Usage' });
  // The same charts as /usage, with the key as their filter: only this key's operations and errors.
  const calls = tab.getByRole('region', { name: 'Calls over time', exact: true });
  await expect(calls.locator('canvas')).toBeVisible();
  const ops = calls.getByRole('list', { name: 'Series' }).getByRole('listitem');
  for (const [op, n] of [['Encrypt', '220'], ['Decrypt', '180'], ['GenerateDataKey', '160']]) await expect(ops.filter({ hasText: new RegExp(`^${op}\\s*${n}$`) })).toHaveCount(1);
  await expect(ops.filter({ hasText: /^DisableKey/ })).toHaveCount(0);
  const errors = tab.getByRole('region', { name: 'Errors over time', exact: true });
  await expect(errors.locator('canvas')).toBeVisible();
  await expect(errors.getByRole('list', { name: 'Series' }).getByRole('listitem')).toHaveText([/^AccessDenied\s*40$/]);
  const peak = tab.getByRole('region', { name: 'Peak requests per second', exact: true });
  await expect(peak.locator('canvas')).toBeVisible();
  await expect(peak.getByText('Quota 100,000/s (us-east-1)')).toBeVisible();
  await expect(tab.getByRole('region', { name: 'Cost per month' }).getByRole('img', { name: /^Cost per month of this key: / })).toBeVisible();
  await expect(tab.getByRole('region', { name: 'Cost per month' }).locator('canvas')).toBeVisible();
  const apis = tab.getByRole('list', { name: 'Calls by API' });
  // 180 Encrypt by the application and 40 refused to the auditor; 180 Decrypt; 160 GenerateDataKey.
  await expect(apis.getByRole('listitem').filter({ hasText: 'Encrypt' }).first()).toContainText('220');
  await expect(apis.getByRole('listitem').filter({ hasText: 'Encrypt' }).first()).toContainText('40 refused');
  await expect(apis.getByRole('listitem').filter({ hasText: 'GenerateDataKey' })).toContainText('160');
  await expect(tab.getByRole('list', { name: 'Callers' })).toContainText('role/app');
  // The spec's 560 calls plus CreateKey and CreateAlias name the key, and so do the console's own reads of the key
  // page (DescribeKey, rotation, tags: a few a visit, as many visits as the syncs have caught so far).
  await expect(tab).toContainText(/\d+ calls in the last 30 d, 40 refused/);
  const total = Number(/(\d+) calls in the last 30 d/.exec((await tab.textContent()) ?? '')?.[1]);
  expect(total).toBeGreaterThanOrEqual(562);
  expect(total).toBeLessThan(600);
  const cost = tab.getByRole('table', { name: 'Cost per month' });
  await expect(cost.getByRole('row')).toHaveCount(4);
  // Billed calls this month: the spec's 520 successful Encrypt, Decrypt and GenerateDataKey calls (refused and
  // CreateKey/CreateAlias calls are free), plus the console's own billed reads of the key page the syncs caught.
  const billedCell = cost.getByRole('row').last().getByRole('cell').nth(1);
  await expect(billedCell).toHaveText(/^5\d\d$/);
  const billed = Number(await billedCell.textContent());
  expect(billed).toBeGreaterThanOrEqual(520);
  expect(billed).toBeLessThan(560);
  // The console scrolls inside its frame (a full-page shot would stop at the fold): a tall window shows the whole tab.
  await page.setViewportSize({ width: 1440, height: 1900 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/key-usage-${colorScheme}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'light' });
  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // A day picked on the key's chart opens /usage on the key, with that day's events.
  await calls.getByRole('img', { name: /^Calls over time by operation/ }).focus();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/usage\\?region=us-east-1&range=30d&key=arn%3Aaws%3Akms%3Aus-east-1%3A111122223333%3Akey%2F${ordersKeyId}&at=\\d+&span=86400`));
  await expect(page.getByRole('list', { name: 'Filters' })).toContainText(`Events in: ${utcDate(0)}`);
  const table = page.getByRole('table', { name: 'CloudTrail events' });
  const keys = table.getByRole('row').locator('td:nth-child(4)');
  await expect(keys.first()).toHaveText('alias/usage-e2e/orders');
  expect(new Set(await keys.allTextContents())).toEqual(new Set(['alias/usage-e2e/orders']));
  expect(new Set((await table.getByRole('row').locator('td:nth-child(2)').allTextContents()).map((t) => t.slice(0, 10)))).toEqual(new Set([utcDate(0)]));
});

test('a custom range is checked inline, held in the URL, and drives the charts, the events and the export', async ({ page, request }) => {
  test.setTimeout(120_000);
  await openUsage(page);
  await page.getByRole('radiogroup', { name: 'Time range' }).getByRole('radio', { name: 'Custom' }).click();
  const form = page.getByRole('form', { name: 'Custom range' });
  const from = form.getByLabel('From');
  const to = form.getByLabel('To');
  // From after To: refused inline, the URL keeps the old range.
  await from.fill(utcDate(-1));
  await to.fill(utcDate(-3));
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(form.getByRole('alert')).toHaveText('‘To’ must be on or after ‘From’.');
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/range=24h/);
  // Before the store's 90-day window.
  await from.fill(utcDate(-120));
  await to.fill(utcDate(-100));
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(form.getByRole('alert')).toContainText(`‘From’ must be within the store’s 90-day window: ${utcDate(-90)} or later.`);
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/range=24h/);
  // Yesterday to today: applied.
  await from.fill(utcDate(-1));
  await to.fill(utcDate(0));
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`range=custom&from=${utcDate(-1)}&to=${utcDate(0)}`));
  await expect(page.getByRole('radiogroup', { name: 'Time range' }).getByRole('radio', { name: 'Custom' })).toHaveAttribute('aria-checked', 'true');
  await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible();
  await expect(panel(page, 'Calls over time').getByRole('button', { name: /^Encrypt / })).toBeVisible();
  await expect(page.getByRole('table', { name: 'CloudTrail events' }).getByRole('row').nth(1)).toBeVisible();
  const exportLink = page.getByRole('link', { name: 'Export events CSV' });
  await expect(exportLink).toHaveAttribute('href', new RegExp(`range=custom&from=${utcDate(-1)}&to=${utcDate(0)}`));
  const csv = await request.get((await exportLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('Encrypt');
  // The routes refuse a bad range with AWS's exception name, never a silent default.
  for (const path of ['/api/usage', '/api/usage/events', '/api/usage/export']) {
    const bad = await request.get(`${path}?region=${REGION}&range=custom&from=${utcDate(0)}&to=${utcDate(-2)}`);
    expect(bad.status(), path).toBe(400);
    expect(await bad.json(), path).toEqual({ error: { name: 'ValidationException', message: '‘To’ must be on or after ‘From’.' } });
  }
  // A link with a bad range opens with the message, and asks for nothing.
  await page.goto(`/usage?region=${REGION}&range=custom&from=${utcDate(-200)}&to=${utcDate(-1)}`);
  await expect(page.getByRole('form', { name: 'Custom range' }).getByRole('alert')).toContainText('90-day window');
  await page.goto(`/usage?region=${REGION}&range=custom&from=${utcDate(-1)}&to=${utcDate(0)}`);
  await expect(panel(page, 'Top keys').getByRole('button', { name: /alias\/usage-e2e\/orders/ })).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 1100 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/usage-custom-${colorScheme}.png` });
  }
  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('the unused keys view lists keys nobody but Keydeck called, and warns about pending deletions still called', async ({ page }) => {
  test.setTimeout(180_000);
  // Keydeck reads the idle key (its detail page: DescribeKey, policy, rotation …), then syncs those calls in.
  await page.goto(`/keys/${idleKeyId}?region=${REGION}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await openUsage(page);
  const sync = page.getByRole('region', { name: 'CloudTrail sync' });
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 60_000 });
  await sync.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('progressbar', { name: 'CloudTrail sync progress' })).toBeHidden({ timeout: 90_000 });
  // The idle key's calls are all Keydeck's: the two made with its user agent and the console's own reads.
  await page.goto(`/usage?region=${REGION}&range=24h&key=${encodeURIComponent(`arn:aws:kms:${REGION}:111122223333:key/${idleKeyId}`)}`);
  const agents = panel(page, 'User agents').getByRole('list', { name: 'User agents' });
  const keydeckCalls = Number((await agents.getByRole('listitem').filter({ hasText: /^keydeck/ }).innerText()).replace(/\D+/g, ' ').trim().split(' ')[0]);
  expect(keydeckCalls).toBeGreaterThan(2);
  await expect(agents.getByRole('listitem')).toHaveCount(1);

  // Reached from the Usage & cost page's views.
  await page.getByRole('navigation', { name: 'Usage views' }).getByRole('link', { name: 'Unused keys' }).click();
  await expect(page).toHaveURL(/\/usage\/unused\?region=us-east-1/);
  await page.getByRole('radio', { name: '30 days' }).click();
  await expect(page).toHaveURL(/days=30/);
  const list = page.getByRole('table', { name: 'Unused keys' });
  await expect(list.getByRole('link', { name: 'alias/usage-e2e/idle' })).toBeVisible();
  await expect(list.getByRole('row').filter({ hasText: 'alias/usage-e2e/idle' })).toContainText('$1.00');
  // Called by applications: not unused. Pending deletion: not on the clean-up list either.
  await expect(list.getByRole('link', { name: 'alias/usage-e2e/orders' })).toHaveCount(0);
  await expect(list.getByRole('link', { name: 'alias/usage-e2e/retired' })).toHaveCount(0);
  const warning = page.getByRole('region', { name: 'Pending deletion but still called' });
  const retired = warning.getByRole('listitem').filter({ hasText: 'alias/usage-e2e/retired' });
  await expect(retired).toContainText(/3 calls since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, 3 refused/);
  await expect(retired).toContainText('Callers: role/app (3)');
  await expect(retired).toContainText(`deleted on ${utcDate(7)}`);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('list,key_id,name,key_arn,state,created,monthly_usd,deletion_date,calls,last_call,callers');
  expect(csv).toContain(`unused,${idleKeyId},alias/usage-e2e/idle,`);
  expect(csv).toMatch(/pending deletion \(still called\),[0-9a-f-]+,alias\/usage-e2e\/retired,.*,3,[^,]*,arn:aws:iam::111122223333:role\/app \(3\)/);

  await page.setViewportSize({ width: 1440, height: 1100 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/usage-unused-${colorScheme}.png`, fullPage: true });
  }
  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Each key opens its detail page.
  await list.getByRole('link', { name: 'alias/usage-e2e/idle' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${idleKeyId}\\?region=us-east-1`));
});

test('Settings offers the usage data source, with CloudTrail Lake disabled in demo mode and why', async ({ page }) => {
  await page.goto('/settings');
  const card = page.getByRole('region', { name: 'Usage data source' });
  await expect(card.getByRole('radio', { name: /Embedded store \(sync via LookupEvents\)/ })).toBeChecked();
  const lake = card.getByRole('radio', { name: /CloudTrail Lake event data store/ });
  await expect(lake).toBeDisabled();
  await expect(card).toContainText('Not in demo mode: the emulator does not run CloudTrail Lake SQL.');
  await expect(card.getByRole('button', { name: 'Save' })).toBeDisabled();
  await card.scrollIntoViewIfNeeded();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await card.screenshot({ path: `${SHOTS}/settings-usage-source-${colorScheme}.png` });
  }
});
