import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { CreateAliasCommand, CreateKeyCommand, type CreateKeyCommandInput, DescribeKeyCommand, EncryptCommand, KMSClient, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect, test, type Page } from '@playwright/test';

// us-east-1 (primary) and eu-west-2 (replica): eu-west-1 belongs to the inventory spec, which counts its keys.
const REGION = 'us-east-1';
const SHOTS = process.env.KEYDECK_SHOTS_DIR ?? '/tmp/detail-shots';
let kms: KMSClient;
const ids = new Map<string, string>();

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const [alias, input] of [
    ['alias/e2e-detail/app', { Description: 'Application data', Tags: [{ TagKey: 'team', TagValue: 'orders' }] }],
    ['alias/e2e-detail/rsa', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'Document signing' }],
    ['alias/e2e-detail/global', { MultiRegion: true, Description: 'Global orders' }],
  ] as Array<[string, CreateKeyCommandInput]>) {
    const KeyId = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyId }));
    ids.set(alias, KeyId);
  }
  await kms.send(new EncryptCommand({ KeyId: 'alias/e2e-detail/app', Plaintext: new TextEncoder().encode('hello') }));
});

test.afterAll(() => kms.destroy());

const url = (alias: string, tab?: string) => `/keys/${ids.get(alias)}?region=${REGION}${tab ? `&tab=${tab}` : ''}`;

async function openKey(page: Page, alias: string, tab?: string) {
  await page.goto(url(alias, tab));
  await expect(page.getByRole('heading', { level: 1, name: alias })).toBeVisible();
  await page.waitForLoadState('networkidle');
  // Tab panels are loaded apart (next/dynamic): what is typed into a server-rendered control before React owns it
  // is lost when it hydrates (a CI run saw a typed alias back at "alias/"). Wait until React owns the panel's controls.
  const control = page.getByRole('tabpanel').locator('input, select, textarea, button').first();
  if ((await control.count()) > 0) await expect.poll(() => control.evaluate((el) => Object.keys(el).some((k) => k.startsWith('__reactProps')))).toBe(true);
}

const panel = (page: Page) => page.getByRole('tabpanel');

test('general configuration shows the metadata and the last use; tabs live in the URL', async ({ page }) => {
  // Hydration mismatches and failed requests show up as console errors.
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await openKey(page, 'alias/e2e-detail/app');
  const id = ids.get('alias/e2e-detail/app')!;
  await expect(panel(page)).toContainText(id);
  await expect(panel(page)).toContainText(`arn:aws:kms:${REGION}:111122223333:key/${id}`);
  await expect(panel(page)).toContainText('SYMMETRIC_DEFAULT');
  await expect(panel(page)).toContainText('Customer managed');
  await expect(panel(page).getByText('Encrypt', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy ARN' })).toBeVisible();

  await page.getByRole('tab', { name: 'Cryptographic configuration' }).click();
  await expect(page).toHaveURL(/[?&]tab=crypto/);
  await expect(panel(page)).toContainText('SYMMETRIC_DEFAULT');

  // A link opens the tab it names.
  await openKey(page, 'alias/e2e-detail/app', 'policy');
  await expect(page.getByRole('tab', { name: 'Key policy' })).toHaveAttribute('aria-selected', 'true');
  // The tab is the policy editor (e2e/key-policy.spec.ts covers it), loaded when the tab opens.
  await page.getByRole('tab', { name: 'Policy view' }).click({ timeout: 30_000 });
  await expect(page.getByRole('textbox', { name: 'Key policy JSON' })).toContainText('"Sid": "Enable IAM User Permissions"');
  await expect(page.getByRole('button', { name: 'Review changes' })).toBeDisabled();
  expect(errors).toEqual([]);
});

test('rotation: enable with a period (checked inline), rotate now, and the history row appears', async ({ page }) => {
  await openKey(page, 'alias/e2e-detail/app', 'rotation');
  await page.getByLabel('Rotate this key automatically').check();
  const period = page.getByLabel('Rotation period (days)');
  await expect(period).toHaveValue('365');
  await period.fill('80');
  await expect(page.getByText('The rotation period must be from 90 to 2,560 days.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save rotation settings' })).toBeDisabled();
  await period.fill('180');
  await page.getByRole('button', { name: 'Save rotation settings' }).click();
  await expect(page.getByText('Automatic rotation on, every 180 days')).toBeVisible();
  await expect(panel(page)).toContainText('180 days');
  await expect(page.getByText(/^Next rotation$/).locator('xpath=following-sibling::dd[1]')).toHaveText(/\d{4}-\d\d-\d\d/);

  await expect(page.getByText('This key has not been rotated yet.')).toBeVisible();
  await expect(page.getByText(/0 of 25 on-demand rotations used/)).toBeVisible();
  await page.getByRole('button', { name: 'Rotate now' }).click();
  await expect(page.getByText('Key rotated', { exact: true })).toBeVisible();
  await expect(page.getByText(/1 of 25 on-demand rotations used — 24 left/)).toBeVisible();
  const history = page.getByRole('table', { name: 'Rotation history' });
  await expect(history.getByRole('row')).toHaveCount(2);
  await expect(history.getByRole('row').nth(1)).toContainText('On demand');
  await expect(history.getByRole('row').nth(1)).toContainText('Current');
});

test('aliases: an invalid name is refused inline; add, rename, delete and move to another key', async ({ page }) => {
  const keyId = ids.get('alias/e2e-detail/app')!;
  const aliasesNow = async () => ((await kms.send(new ListAliasesCommand({ KeyId: keyId }))).Aliases ?? []).map((a) => a.AliasName).sort();
  await openKey(page, 'alias/e2e-detail/app', 'aliases');
  const field = page.getByLabel('New alias');
  await field.fill('alias/aws/mine');
  await expect(field).toHaveValue('alias/aws/mine');
  await page.getByRole('button', { name: 'Add alias' }).click();
  await expect(page.getByText('Alias names beginning with "alias/aws/" are reserved for AWS managed keys.')).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill('alias/has space');
  await expect(page.getByText(/use only letters, digits/)).toBeVisible();
  expect(await aliasesNow()).toEqual(['alias/e2e-detail/app']);

  await field.fill('alias/e2e-detail/second');
  await page.getByRole('button', { name: 'Add alias' }).click();
  const table = page.getByRole('table', { name: 'Aliases' });
  await expect(table.getByText('alias/e2e-detail/second', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Rename alias/e2e-detail/second' }).click();
  await page.getByLabel('New name for alias/e2e-detail/second').fill('alias/e2e-detail/renamed');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(table.getByText('alias/e2e-detail/renamed', { exact: true })).toBeVisible();
  await expect(table.getByText('alias/e2e-detail/second', { exact: true })).toHaveCount(0);
  expect(await aliasesNow()).toEqual(['alias/e2e-detail/app', 'alias/e2e-detail/renamed']);

  // A refusal from KMS comes back as a toast with the exception's name, and the form keeps what was typed.
  await page.getByRole('button', { name: 'Move alias/e2e-detail/renamed to another key' }).click();
  const target = page.getByLabel('Key to move alias/e2e-detail/renamed to (key ID or ARN)');
  await target.fill('1234abcd-12ab-34cd-56ef-1234567890ab');
  await page.getByRole('button', { name: 'Move alias', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'NotFoundException' })).toBeVisible();
  await expect(target).toHaveValue('1234abcd-12ab-34cd-56ef-1234567890ab');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  await page.getByRole('button', { name: 'Delete alias/e2e-detail/renamed' }).click();
  await expect(page.getByText(/Applications that call KMS with this alias will fail/)).toBeVisible();
  await page.getByRole('button', { name: 'Confirm delete' }).click();
  await expect(table.getByText('alias/e2e-detail/renamed', { exact: true })).toHaveCount(0);
  expect(await aliasesNow()).toEqual(['alias/e2e-detail/app']);

  // Move (UpdateAlias) to another key of the same spec and usage, which the field suggests.
  const globalId = ids.get('alias/e2e-detail/global')!;
  await field.fill('alias/e2e-detail/moving');
  await page.getByRole('button', { name: 'Add alias' }).click();
  await page.getByRole('button', { name: 'Move alias/e2e-detail/moving to another key' }).click();
  await expect(page.locator(`datalist option[value="${globalId}"]`)).toHaveCount(1);
  await expect(page.locator(`datalist option[value="${ids.get('alias/e2e-detail/rsa')}"]`)).toHaveCount(0);
  await page.getByLabel('Key to move alias/e2e-detail/moving to (key ID or ARN)').fill(globalId);
  await page.getByRole('button', { name: 'Move alias', exact: true }).click();
  await expect(page.getByText(`alias/e2e-detail/moving moved to ${globalId}`)).toBeVisible();
  await expect(table.getByText('alias/e2e-detail/moving', { exact: true })).toHaveCount(0);
  expect(await aliasesNow()).toEqual(['alias/e2e-detail/app']);
  expect(((await kms.send(new ListAliasesCommand({ KeyId: globalId }))).Aliases ?? []).map((a) => a.AliasName).sort()).toEqual(['alias/e2e-detail/global', 'alias/e2e-detail/moving']);
});

test('tags: an aws: key is refused inline; add, edit and remove', async ({ page }) => {
  const keyId = ids.get('alias/e2e-detail/app')!;
  const tagsNow = async () => (await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags;
  await openKey(page, 'alias/e2e-detail/app', 'tags');
  await page.getByLabel('Tag key').fill('aws:owner');
  await page.getByLabel('Tag value').fill('me');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByText('Tag keys beginning with "aws:" are reserved for AWS.')).toBeVisible();
  expect(await tagsNow()).toEqual([{ TagKey: 'team', TagValue: 'orders' }]);

  await page.getByLabel('Tag key').fill('env');
  await page.getByLabel('Tag value').fill('prod');
  await page.getByRole('button', { name: 'Add tag' }).click();
  const table = page.getByRole('table', { name: 'Tags' });
  await expect(table.getByRole('row').filter({ hasText: 'env' })).toContainText('prod');

  await page.getByRole('button', { name: 'Edit tag env' }).click();
  await table.getByLabel('Tag value').fill('staging');
  await page.getByRole('button', { name: 'Save tag' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'env' })).toContainText('staging');

  await page.getByRole('button', { name: 'Remove tag team' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'team' })).toHaveCount(0);
  expect(await tagsNow()).toEqual([{ TagKey: 'env', TagValue: 'staging' }]);
});

test('description edit', async ({ page }) => {
  await openKey(page, 'alias/e2e-detail/app');
  await page.getByRole('button', { name: 'Edit description' }).click();
  const field = page.getByRole('textbox', { name: 'Description' });
  await field.fill('x'.repeat(8193));
  await expect(page.getByText(/can be at most 8,192 characters/)).toBeVisible();
  await field.fill('Orders and invoices');
  await page.getByRole('button', { name: 'Save description' }).click();
  await expect(page.getByText('Description saved')).toBeVisible();
  await expect(panel(page)).toContainText('Orders and invoices');
  expect((await kms.send(new DescribeKeyCommand({ KeyId: ids.get('alias/e2e-detail/app') }))).KeyMetadata!.Description).toBe('Orders and invoices');
});

test('public key downloads as PEM and DER that node:crypto reads', async ({ page }) => {
  await openKey(page, 'alias/e2e-detail/rsa', 'public-key');
  const id = ids.get('alias/e2e-detail/rsa')!;
  const [pem] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PEM' }).click()]);
  expect(pem.suggestedFilename()).toBe(`kms-${id}-public.pem`);
  const key = crypto.createPublicKey(await fs.readFile((await pem.path())!, 'utf8'));
  expect(key.asymmetricKeyType).toBe('rsa');
  expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  const [der] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download DER' }).click()]);
  expect(der.suggestedFilename()).toBe(`kms-${id}-public.der`);
  const fromDer = crypto.createPublicKey({ key: await fs.readFile((await der.path())!), format: 'der', type: 'spki' });
  expect(fromDer.export({ format: 'pem', type: 'spki' })).toBe(key.export({ format: 'pem', type: 'spki' }));
  // A symmetric key has no public key tab.
  await openKey(page, 'alias/e2e-detail/app');
  await expect(page.getByRole('tab', { name: 'Public key' })).toHaveCount(0);
});

test('replicate an mrk- key to another region, then open the replica', async ({ page }) => {
  const id = ids.get('alias/e2e-detail/global')!;
  expect(id).toMatch(/^mrk-/);
  await openKey(page, 'alias/e2e-detail/global', 'regionality');
  await page.getByLabel('Replica region').selectOption('eu-west-2');
  await page.getByRole('button', { name: 'Replicate key' }).click();
  await expect(page.getByText('Replicated to eu-west-2', { exact: true })).toBeVisible();
  const table = page.getByRole('table', { name: 'Multi-Region keys' });
  await expect(table.getByRole('row').filter({ hasText: 'Replica' })).toContainText(`arn:aws:kms:eu-west-2:111122223333:key/${id}`);
  await expect(page.getByLabel('Replica region')).not.toContainText('eu-west-2');

  await table.getByRole('link', { name: 'eu-west-2' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${id}\\?region=eu-west-2&tab=regionality`));
  await expect(page.getByText('eu-west-2 (this key)')).toBeVisible();
  await expect(page.getByText(`Replicate from the primary key in ${REGION}.`)).toBeVisible();
});

test('recent activity lists the events just made, newest first, and loads more', async ({ page }) => {
  await openKey(page, 'alias/e2e-detail/app', 'activity');
  const table = page.getByRole('table', { name: 'Recent activity' });
  const events = table.getByRole('row').locator('td:nth-child(2)');
  await expect(events.first()).toBeVisible();
  const names = await events.allTextContents();
  // The writes of the tests above, newest first (the description edit was last).
  expect(names.slice(0, 3)).toEqual(['UpdateKeyDescription', 'UntagResource', 'TagResource']);
  for (const name of ['RotateKeyOnDemand', 'EnableKeyRotation', 'CreateAlias', 'DeleteAlias', 'Encrypt', 'CreateKey']) expect(names).toContain(name);
  expect(names).not.toContain('DescribeKey');
  await expect(table.getByRole('row').filter({ hasText: 'UpdateKeyDescription' })).toContainText('arn:aws:iam::111122223333:user/admin');

  await page.getByLabel('Which events').selectOption('all');
  await expect(table.getByRole('row').filter({ hasText: 'DescribeKey' }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load more events' })).toBeVisible();
  const before = await table.getByRole('row').count();
  await page.getByRole('button', { name: 'Load more events' }).click();
  await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(before);
});

test('the Use tab encrypts and decrypts with this key and shows the AWS CLI twin', async ({ page }) => {
  await openKey(page, 'alias/e2e-detail/app', 'use');
  // Typed before the panel has settled, text can land in a field that is then replaced: type until it stays.
  const plaintext = page.getByLabel('Plaintext', { exact: true });
  await expect(async () => {
    await plaintext.fill('from the detail page');
    await page.waitForTimeout(200);
    await expect(plaintext).toHaveValue('from the detail page', { timeout: 100 });
  }).toPass();
  await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(page.getByLabel('Ciphertext (base64)')).not.toHaveValue('');
  const result = page.getByRole('region', { name: 'Encrypt result' });
  await expect(result.getByLabel('AWS CLI command', { exact: true })).toContainText('aws kms encrypt');
  await expect(result.getByLabel('AWS CLI command', { exact: true })).toContainText(ids.get('alias/e2e-detail/app')!);
  await page.getByRole('button', { name: 'Decrypt', exact: true }).click();
  await page.getByRole('button', { name: 'Reveal plaintext' }).click();
  await expect(page.getByLabel('Decrypted plaintext')).toHaveText('from the detail page');
});

const TABS = [
  ['general', 'General configuration'],
  ['policy', 'Key policy'],
  ['grants', 'Grants'],
  ['crypto', 'Cryptographic configuration'],
  ['use', 'Use'],
  ['rotation', 'Key rotation'],
  ['aliases', 'Aliases'],
  ['tags', 'Tags'],
  ['regionality', 'Regionality'],
  ['activity', 'Recent activity'],
] as const;

// One test per colour scheme: 14 axe runs each (e2e/axe.ts keeps axe in the page across the tab switches).
for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violations on any tab, ${colorScheme} (screenshots of each)`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    const targets: Array<[string, ReadonlyArray<readonly [string, string]>]> = [
      ['alias/e2e-detail/app', TABS],
      ['alias/e2e-detail/rsa', [['public-key', 'Public key'], ['rotation', 'Key rotation']]],
      ['alias/e2e-detail/global', [['regionality', 'Regionality']]],
    ];
    await page.emulateMedia({ colorScheme });
    for (const [alias, tabs] of targets) {
      await openKey(page, alias);
      // Tabs switch in the browser, as a user switches them: one page load per key.
      for (const [tab, name] of tabs) {
        await page.getByRole('tab', { name }).click();
        await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
        if (tab !== 'general') await expect(page).toHaveURL(new RegExp(`[?&]tab=${tab}`));
        await expect(panel(page).getByText(/^(Loading|Counting)/)).toHaveCount(0);
        const { violations } = await axeScan(page);
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `${alias} ${tab} in ${colorScheme}`).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/${alias.split('/').pop()}-${tab}-${colorScheme}.png` });
      }
    }
    if (colorScheme === 'light') return;
    // The schedule-deletion dialog too (dark).
    await page.getByRole('button', { name: 'Schedule deletion' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    const { violations } = await axeScan(page);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/schedule-deletion-dark.png` });
  });
}
