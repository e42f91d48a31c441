import fs from 'node:fs';
import path from 'node:path';
import { axeScan } from './axe';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';

// us-east-1, under alias/e2e-audit/: the key this spec changes, and the audit entries it leaves.
const REGION = 'us-east-1';
const ALIAS = 'alias/e2e-audit/key';
const SHOTS = '/tmp/audit-shots';
let keyId = '';

test.beforeAll(async ({ baseURL }) => {
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  keyId = (await kms.send(new CreateKeyCommand({ Description: 'Audited' }))).KeyMetadata!.KeyId!;
  await kms.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: keyId }));
  kms.destroy();
});

async function openKey(page: Page, tab?: string) {
  await page.goto(`/keys/${keyId}?region=${REGION}${tab ? `&tab=${tab}` : ''}`);
  await expect(page.getByRole('heading', { level: 1, name: ALIAS })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

const shoot = async (page: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-light.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(SHOTS, `${name}-dark.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
};

test('actions in the UI appear in /audit with their outcome and request id, in the CSV, and tampering breaks the chain', async ({ page }) => {
  // Three actions, two page loads of /audit, an axe scan and four screenshots on a shared two-core machine.
  test.setTimeout(120_000);
  // Two changes that succeed and one that KMS refuses (the alias exists already).
  await openKey(page);
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(page.getByText('Key disabled', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Disable', exact: true })).toBeVisible();
  await openKey(page, 'aliases');
  await page.getByLabel('New alias').fill(ALIAS);
  await page.getByRole('button', { name: 'Add alias' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'AlreadyExistsException' })).toBeVisible();

  // The log filtered to this key, from a shareable URL.
  await page.goto(`/audit?key=${keyId}`);
  await expect(page.getByRole('status').filter({ hasText: /^Verified: [\d,]+ entries, chain intact/ })).toBeVisible();
  const table = page.getByRole('table', { name: 'Audit log' });
  await expect(table.getByRole('columnheader', { name: 'Who' })).toBeVisible();
  const rows = table.getByRole('row').filter({ has: page.getByRole('button', { name: /entry \d+/ }) });
  await expect(rows).toHaveCount(3);
  const requestId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
  await expect(rows.nth(0)).toContainText('CreateAlias');
  await expect(rows.nth(0)).toContainText('error');
  await expect(rows.nth(0)).toContainText('AlreadyExistsException');
  await expect(rows.nth(0)).toContainText(requestId);
  for (const i of [1, 2]) {
    await expect(rows.nth(i)).toContainText('SetKeyEnabled');
    await expect(rows.nth(i)).toContainText('ok');
    await expect(rows.nth(i)).toContainText(requestId);
  }
  const newest = (await rows.nth(0).getByRole('button').getAttribute('aria-label'))!.replace('Show ', '');
  await rows.nth(0).getByRole('button').click();
  await expect(page.getByLabel(`Parameters of ${newest}`)).toContainText(`"aliasName": "${ALIAS}"`);

  // Filters live in the URL: outcome=error keeps only the refused call.
  await page.getByLabel('Outcome').selectOption('error');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/outcome=error/);
  await expect(rows).toHaveCount(1);

  const { violations } = await axeScan(page);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  await shoot(page, 'audit');

  // The CSV export of the filtered view (the link the button points at).
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain(`key=${keyId}`);
  const csv = await (await page.request.get(`/api/audit/export?key=${keyId}`)).text();
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toMatch(/^seq,time,actor_id,/);
  expect(lines).toHaveLength(4);
  expect(lines[1]).toMatch(/CreateAlias,error,AlreadyExistsException/);
  expect(lines.filter((l) => /SetKeyEnabled,ok,/.test(l) && requestId.test(l))).toHaveLength(2);

  // Someone edits the store behind Keydeck's back: the refused call now claims success.
  const db = new Database(path.join(process.env.KEYDECK_E2E_DATA_DIR!, 'keydeck.sqlite'));
  try {
    const seq = Number(newest.replace('entry ', ''));
    expect(db.prepare("update audit_log set outcome = 'ok', error_name = '' where seq = ?").run(seq).changes).toBe(1);
    await page.goto(`/audit?key=${keyId}`);
    await expect(page.getByRole('alert').filter({ hasText: `Broken at entry #${seq}: entry #${seq} no longer matches its hash` })).toBeVisible();
    await shoot(page, 'audit-broken');
  } finally {
    db.close();
  }
});
