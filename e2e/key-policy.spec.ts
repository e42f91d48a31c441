import fs from 'node:fs/promises';
import { CreateKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

// eu-west-2 is this spec's region: the keys below are the only ones it looks at.
const REGION = 'eu-west-2';
const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/app/keydeck`;
const AUDITOR = `arn:aws:iam::${ACCOUNT}:user/auditor`;
const SHOTS = '/tmp/policy-shots';

let keyId = '';
let lockoutKeyId = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  const endpoint = `${baseURL}/api/kms`;
  const admin = new KMSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  keyId = (await admin.send(new CreateKeyCommand({ Description: 'Policy editor e2e' }))).KeyMetadata!.KeyId!;
  lockoutKeyId = (await admin.send(new CreateKeyCommand({ Description: 'Lockout bypass e2e' }))).KeyMetadata!.KeyId!;
  // The application role uses the key, so CloudTrail knows it as a principal of the account.
  const app = new KMSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'AKIAAPPLICATION0001', secretAccessKey: 'application-secret' } });
  await app.send(new EncryptCommand({ KeyId: keyId, Plaintext: new TextEncoder().encode('hello') }));
  admin.destroy();
  app.destroy();
  await fs.mkdir(SHOTS, { recursive: true });
});

const policyUrl = (id: string) => `/keys/${id}/policy?region=${REGION}`;
const editor = (page: Page) => page.getByRole('textbox', { name: 'Key policy JSON' });
const findings = (page: Page) => page.getByRole('list', { name: 'Findings' });

async function open(page: Page, id = keyId) {
  await page.goto(policyUrl(id));
  await expect(page.getByRole('heading', { name: 'Key policy', level: 1 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Default view' })).toBeVisible();
}

/** Replaces the JSON in the Policy view. */
async function setPolicy(page: Page, text: string) {
  await page.getByRole('tab', { name: 'Policy view' }).click();
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const json = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const rootStatement = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

test('editing the default view changes the JSON', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('list', { name: 'Key users' })).toHaveCount(0);
  await page.getByLabel('Key users: choose a known principal').selectOption({ label: 'assumed-role/app/keydeck' });
  await expect(page.getByRole('list', { name: 'Key users' })).toContainText('assumed-role/app/keydeck');
  await page.getByLabel('Key administrators: type an ARN').fill(`arn:aws:iam::${ACCOUNT}:role/security-admin`);
  await page.getByRole('button', { name: 'Add to Key administrators' }).click();
  await page.getByRole('tab', { name: 'Policy view' }).click();
  await expect(editor(page)).toContainText('"Sid": "Allow access for Key Administrators"');
  await expect(editor(page)).toContainText(`arn:aws:iam::${ACCOUNT}:role/security-admin`);
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  // CodeMirror draws only the lines near the screen; the review's diff shows the whole draft.
  await page.getByRole('button', { name: 'Review changes' }).click();
  const diff = page.getByRole('dialog', { name: 'Review policy changes' }).getByRole('table', { name: /Side-by-side diff/ });
  await expect(diff).toContainText('"Sid": "Allow use of the key"');
  await expect(diff).toContainText(APP_SESSION);
  await page.getByRole('button', { name: 'Keep editing' }).click();
  // The draft's access table already shows the new key user.
  await expect(page.getByRole('row').filter({ hasText: 'assumed-role/app/keydeck' }).first()).toContainText('Allow');

  // A typed ARN that is not one is refused inline.
  await page.getByRole('tab', { name: 'Default view' }).click();
  await page.getByLabel('Key users: type an ARN').fill('not-an-arn');
  await page.getByRole('button', { name: 'Add to Key users' }).click();
  await expect(page.getByText('Enter an IAM or STS ARN')).toBeVisible();
});

test('a syntax error is shown at its line', async ({ page }) => {
  await open(page);
  await setPolicy(page, '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Sid": "A" "Effect": "Allow" } ]\n}');
  await expect(findings(page)).toContainText('Syntax error');
  await expect(findings(page).getByRole('button', { name: /^Line 3, column/ })).toBeVisible();
  await expect(page.getByText('1 error')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review changes' })).toBeDisabled();
  // The gutter marks the line too.
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Default view' }).click();
  await expect(page.getByText('The policy JSON has errors')).toBeVisible();
});

test('every lint class is reported', async ({ page }) => {
  await open(page);
  await setPolicy(
    page,
    json(
      { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' },
      { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: ['kms:Decrypt', 'kms:Decrypty'], Resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` },
      { Sid: 'Odd', Effect: 'Allow', NotPrincipal: { AWS: AUDITOR }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContex:app': 'x' } } },
      { Sid: 'Never', Effect: 'Allow', Principal: { AWS: AUDITOR }, Action: 'kms:ScheduleKeyDeletion', Resource: '*', Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 0 } } },
    ),
  );
  for (const title of ['Public access', 'Cross-account access', 'Lockout risk', 'kms:* to a non-administrator', 'Unconstrained kms:Decrypt', 'Unknown action', 'Unknown condition key', 'NotPrincipal / NotAction with Allow', 'Resource other than "*"', 'Condition never matches']) {
    await expect(findings(page), title).toContainText(title);
  }
  await expect(findings(page)).toContainText('444455556666');
  await page.screenshot({ path: `${SHOTS}/lint-light.png`, fullPage: true });

  await setPolicy(page, json(rootStatement, { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: AUDITOR }, Action: 'kms:DescribeKey', Resource: '*' }));
  await expect(findings(page)).toContainText('Duplicate Sid');
});

test('a policy that would lock the console out is refused; bypass needs a second confirmation', async ({ page }) => {
  await open(page, lockoutKeyId);
  await setPolicy(page, json({ Sid: 'AppOnly', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' }));
  await page.getByRole('button', { name: 'Review changes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Review policy changes' });
  await expect(dialog.getByRole('table', { name: /Side-by-side diff/ })).toContainText('AppOnly');
  await expect(dialog.getByRole('list', { name: 'Access changes' })).toContainText(`account ${ACCOUNT} (root) loses kms:PutKeyPolicy`);
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Refused: this policy would lock you out');
  await expect(dialog.getByRole('alert')).toContainText('could no longer call kms:PutKeyPolicy');
  await expect(dialog.getByRole('button', { name: 'Save policy' })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/lockout-light.png` });

  const bypass = dialog.getByRole('button', { name: 'Bypass the lockout safety check…' });
  await expect(bypass).toBeDisabled();
  await dialog.getByRole('checkbox', { name: /I understand/ }).check();
  await bypass.click();
  await dialog.getByRole('button', { name: 'Confirm bypass and save' }).click();
  await expect(dialog).toBeHidden();
  // Saved as asked: the console itself can no longer read the key, exactly as the warning said.
  await expect(page.getByRole('alert').filter({ hasText: 'AccessDeniedException' })).toBeVisible();
});

test('the simulator denies and allows a decrypt by encryption context, and highlights the deciding statement', async ({ page }) => {
  await open(page);
  await setPolicy(
    page,
    json(rootStatement, { Sid: 'AuditorReports', Effect: 'Allow', Principal: { AWS: AUDITOR }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'reports' } } }),
  );
  const simulator = page.getByRole('region', { name: 'Access simulator' });
  await simulator.getByLabel('or ARN').fill(AUDITOR);
  await simulator.getByLabel('Action').selectOption('kms:Decrypt');
  await simulator.getByLabel('Encryption context').fill('app=other');
  await simulator.getByRole('button', { name: 'Simulate' }).click();
  const result = simulator.getByRole('status', { name: 'Simulation result' });
  await expect(result).toContainText('Deny');
  await expect(result).toContainText('kms:EncryptionContext:app is not met');

  await simulator.getByLabel('Encryption context').fill('app=reports');
  await simulator.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText('Allow');
  await expect(result).toContainText('“AuditorReports”');
  await expect(page.locator('.cm-decided-allow').first()).toBeVisible();
  await expect(page.locator('.cm-decided-allow').first()).toContainText('{');

  // The saved policy (the default one) does not name the auditor: denied.
  await simulator.getByRole('radio', { name: 'Saved policy' }).check();
  await simulator.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText('Deny');
  await expect(result).toContainText('saved policy');
  await page.screenshot({ path: `${SHOTS}/simulator-light.png`, fullPage: true });
});

test('saving shows the diff and access delta, and an earlier version can be restored', async ({ page }) => {
  await open(page);
  // The auditor may only describe, get and list through IAM; as a key user it gains the key's use.
  await page.getByLabel('Key users: choose a known principal').selectOption({ label: 'user/auditor' });
  await page.getByRole('button', { name: 'Review changes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Review policy changes' });
  await expect(dialog.getByRole('list', { name: 'Access changes' })).toContainText('user/auditor gains kms:Decrypt');
  await expect(dialog.getByRole('list', { name: 'Access changes' })).not.toContainText('assumed-role/app');
  await expect(dialog).toContainText('Unconstrained kms:Decrypt');
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Key policy saved')).toBeVisible();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();

  const versions = page.getByRole('list', { name: 'Saved versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await page.reload();
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('tab', { name: 'Policy view' }).click();
  await expect(editor(page)).toContainText('Allow use of the key');

  await versions.getByRole('button', { name: /before the first save/ }).click();
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  await expect(dialog).toBeHidden();
  await expect(versions.getByRole('listitem')).toHaveCount(3);
  await page.getByRole('tab', { name: 'Policy view' }).click();
  await expect(editor(page)).toContainText('key-default-1');
  await expect(editor(page)).not.toContainText('Allow use of the key');
});

test('a grant is created with validation, its token shown once, and revoked', async ({ page }) => {
  await open(page);
  const grants = page.getByRole('region', { name: /^Grants/ });
  await grants.getByRole('button', { name: 'Create grant' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create grant' });
  await dialog.getByRole('button', { name: 'Create grant' }).click();
  await expect(dialog).toContainText('Enter the grantee');
  await expect(dialog).toContainText('Choose at least one operation.');

  await dialog.getByLabel('Grantee principal').fill(`arn:aws:iam::${ACCOUNT}:role/app`);
  await dialog.getByRole('checkbox', { name: 'Decrypt' }).check();
  await dialog.getByRole('checkbox', { name: 'Encrypt', exact: true }).check();
  await dialog.getByLabel('Constraint').selectOption('subset');
  await dialog.getByLabel('Encryption context pairs').fill('app=orders');
  await dialog.getByRole('button', { name: 'Create grant' }).click();
  await expect(dialog).toBeHidden();
  const token = page.getByRole('status', { name: 'New grant token' });
  await expect(token).toContainText('shown only now');
  await expect(token.getByLabel('Grant token')).not.toBeEmpty();

  const row = grants.getByRole('row').filter({ hasText: 'role/app' });
  await expect(row).toContainText('Decrypt');
  await expect(row).toContainText('context includes app=orders');
  // The grant shows in the access table as conditional access for the role.
  await expect(page.getByRole('row').filter({ hasText: 'role/app' }).filter({ hasText: 'grant' }).first()).toContainText('Conditional');

  await grants.screenshot({ path: `${SHOTS}/grants-created-light.png` });
  await token.getByRole('button', { name: 'Done, hide it' }).click();
  await expect(token).toBeHidden();
  await row.getByRole('button', { name: /^Revoke grant/ }).click();
  await expect(grants).toContainText('No grants on this key.');
});

test('axe finds no serious or critical violations, light and dark', async ({ page }) => {
  // Four full-page scans on a shared two-core machine.
  test.setTimeout(120_000);
  await open(page);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Default view' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/default-${colorScheme}.png`, fullPage: true });
    let { violations } = await new AxeBuilder({ page }).analyze();
    let serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `default view, ${colorScheme}`).toEqual([]);

    // The console scrolls inside its main area, so the lower sections are shot one by one.
    await page.getByRole('region', { name: /^Who can use this key/ }).screenshot({ path: `${SHOTS}/access-${colorScheme}.png` });
    await page.getByRole('region', { name: /^Grants/ }).screenshot({ path: `${SHOTS}/grants-${colorScheme}.png` });
    await page.getByRole('region', { name: /^Version history/ }).screenshot({ path: `${SHOTS}/history-${colorScheme}.png` });

    await page.getByRole('tab', { name: 'Policy view' }).click();
    await expect(editor(page)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/json-${colorScheme}.png`, fullPage: true });
    ({ violations } = await new AxeBuilder({ page }).analyze());
    serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `policy view, ${colorScheme}`).toEqual([]);
  }
});
