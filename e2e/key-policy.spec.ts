/**
 * The key policy editor in the key detail page's Key policy tab, and the key's Grants tab: both views, lint,
 * lockout refusal, simulator, review and history (with what each version changed), grants; and what an
 * operator may do there (read only; the server refuses a forged save).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CreateGrantCommand, CreateKeyCommand, EncryptCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect as baseExpect, request as playwrightRequest, test, type Page, type Request } from '@playwright/test';

// Saves refetch the policy with its CloudTrail principals: seconds when other suites load the two cores.
const expect = baseExpect.configure({ timeout: 15_000 });

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

const keyUrl = (id: string, tab: 'policy' | 'grants') => `/keys/${id}?region=${REGION}&tab=${tab}`;
const editor = (page: Page) => page.getByRole('textbox', { name: 'Key policy JSON' });
const findings = (page: Page) => page.getByRole('list', { name: 'Findings' });

async function open(page: Page, id = keyId) {
  await page.goto(keyUrl(id, 'policy'));
  await expect(page.getByRole('tab', { name: 'Key policy' })).toHaveAttribute('aria-selected', 'true');
  // The editor is a chunk of its own, loaded when the tab opens: slow on a busy machine.
  await expect(page.getByRole('tab', { name: 'Default view' })).toBeVisible({ timeout: 30_000 });
}

/** The save action's request, captured from the admin's save below and replayed as the operator. */
let savedPolicyCall: Request | undefined;
const stateOf = (name: 'operator') => path.join(process.env.KEYDECK_E2E_AUTH_DIR!, `${name}.json`);

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

test('the old editor address leads to the Key policy tab', async ({ page }) => {
  await page.goto(`/keys/${keyId}/policy?region=${REGION}`);
  await expect(page).toHaveURL(`/keys/${keyId}?region=${REGION}&tab=policy`);
  await expect(page.getByRole('tab', { name: 'Key policy' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Default view' })).toBeVisible({ timeout: 30_000 });
});

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

  // The unsaved draft survives a visit to another tab of the key.
  await page.getByRole('tab', { name: 'Grants' }).click();
  await expect(page.getByRole('region', { name: /^Grants/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Key policy' }).click();
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Key users' })).toContainText('assumed-role/app/keydeck');
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
  const saveCall = page.waitForRequest((r) => r.method() === 'POST' && !!r.headers()['next-action']);
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  savedPolicyCall = await saveCall;
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Key policy saved')).toBeVisible();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();

  const versions = page.getByRole('list', { name: 'Saved versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await page.reload();
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  // Each version says what it changed against the one before.
  await expect(versions.getByRole('listitem').first()).toContainText('Added “Allow use of the key”');
  await expect(versions.getByRole('listitem').first()).toContainText('Principals gained: user/auditor');
  await page.getByRole('tab', { name: 'Policy view' }).click();
  await expect(editor(page)).toContainText('Allow use of the key');

  await versions.getByRole('button', { name: /before the first save/ }).click();
  await dialog.getByRole('button', { name: 'Save policy' }).click();
  await expect(dialog).toBeHidden();
  await expect(versions.getByRole('listitem')).toHaveCount(3);
  await expect(versions.getByRole('listitem').first()).toContainText('Removed “Allow use of the key”');
  await expect(versions.getByRole('listitem').first()).toContainText('Principals lost: user/auditor');
  await page.getByRole('tab', { name: 'Policy view' }).click();
  await expect(editor(page)).toContainText('key-default-1');
  await expect(editor(page)).not.toContainText('Allow use of the key');
});

test('the Grants tab creates a grant with validation, shows its token once, and revokes it', async ({ page }) => {
  await page.goto(keyUrl(keyId, 'grants'));
  await expect(page.getByRole('tab', { name: 'Grants' })).toHaveAttribute('aria-selected', 'true');
  const grants = page.getByRole('region', { name: /^Grants/ });
  await expect(grants).toContainText('No grants on this key.', { timeout: 30_000 });
  await grants.getByRole('button', { name: 'Create grant' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create grant' });
  await dialog.getByRole('button', { name: 'Create grant' }).click();
  await expect(dialog).toContainText('Enter the grantee');
  await expect(dialog).toContainText('Choose at least one operation.');

  await dialog.getByLabel('Grantee principal').fill(`arn:aws:iam::${ACCOUNT}:role/app`);
  await dialog.getByLabel('Retiring principal (optional)').fill(AUDITOR);
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
  await expect(row).toContainText('user/auditor');
  await expect(row).toContainText(/\d{4}-\d\d-\d\d/);
  await grants.screenshot({ path: `${SHOTS}/grants-created-light.png` });

  // The grant shows in the Key policy tab's access table as conditional access for the role.
  await page.getByRole('tab', { name: 'Key policy' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'role/app' }).filter({ hasText: 'grant' }).first()).toContainText('Conditional', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Grants' }).click();
  await token.getByRole('button', { name: 'Done, hide it' }).click();
  await expect(token).toBeHidden();
  await row.getByRole('button', { name: /^Revoke grant/ }).click();
  await expect(grants).toContainText('No grants on this key.');
});

test.describe('as the operator', () => {
  test.use({ storageState: stateOf('operator') });

  test('sees the policy read only, and the server refuses a forged save with a lockout bypass', async ({ page, baseURL }) => {
    await open(page);
    await expect(page.getByRole('note').filter({ hasText: 'Read-only for your role' })).toContainText('needs the admin role');
    // A draft can still be linted and simulated, but not reviewed for saving.
    await page.getByLabel('Key users: choose a known principal').selectOption({ label: 'user/auditor' });
    await expect(page.getByText('Unsaved changes')).toBeVisible();
    const review = page.getByRole('button', { name: 'Review changes' });
    await expect(review).toBeDisabled();
    await expect(review).toHaveAccessibleDescription('Needs the admin role');
    await page.screenshot({ path: `${SHOTS}/operator-read-only-light.png` });

    // The admin's save, replayed with the operator's session, a policy that locks everyone out and the bypass asked for.
    expect(savedPolicyCall, 'the admin save above was captured').toBeDefined();
    const captured = savedPolicyCall!;
    const args = JSON.parse(captured.postData() ?? '') as Array<Record<string, unknown>>;
    expect(args[0]).toMatchObject({ keyId: expect.stringContaining(keyId), bypassLockoutCheck: false });
    const forged = [{ ...args[0], policy: json({ Sid: 'AppOnly', Effect: 'Allow', Principal: { AWS: APP_SESSION }, Action: 'kms:Encrypt', Resource: '*' }), bypassLockoutCheck: true }];
    const context = await playwrightRequest.newContext({ baseURL, storageState: stateOf('operator') });
    const headers = Object.fromEntries(Object.entries(captured.headers()).filter(([name]) => !['cookie', 'content-length', 'host'].includes(name)));
    const answer = await (await context.post(captured.url(), { headers, data: JSON.stringify(forged) })).text();
    await context.dispose();
    expect(answer).toContain('AccessDeniedException');
    expect(answer).toContain('This needs the admin role');

    // The key's policy is untouched.
    const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    kms.destroy();
    expect(Policy).toContain('key-default-1');
    expect(Policy).not.toContain('AppOnly');
  });
});

test('axe finds no serious or critical violations on the Key policy and Grants tabs, light and dark', async ({ page, baseURL }) => {
  // Six full-page scans on a shared two-core machine.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  // A grant, so the Grants tab shows a row.
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/app`, RetiringPrincipal: AUDITOR, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { app: 'orders' } } }));
  kms.destroy();
  await open(page);
  const check = async (what: string) => {
    const { violations } = await axeScan(page);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), what).toEqual([]);
  };
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Default view' })).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/key-policy-tab-${colorScheme}.png` });
    await page.screenshot({ path: `${SHOTS}/default-${colorScheme}.png`, fullPage: true });
    await check(`default view, ${colorScheme}`);

    // The console scrolls inside its main area, so the lower sections are shot one by one.
    await page.getByRole('region', { name: /^Who can use this key/ }).screenshot({ path: `${SHOTS}/access-${colorScheme}.png` });
    await page.getByRole('region', { name: /^Version history/ }).screenshot({ path: `${SHOTS}/history-${colorScheme}.png` });

    await page.getByRole('tab', { name: 'Policy view' }).click();
    await expect(editor(page)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/json-${colorScheme}.png`, fullPage: true });
    await check(`policy view, ${colorScheme}`);

    await page.getByRole('tab', { name: 'Grants' }).click();
    await expect(page.getByRole('region', { name: /^Grants/ })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/key-grants-tab-${colorScheme}.png` });
    await check(`grants tab, ${colorScheme}`);
    await page.getByRole('tab', { name: 'Key policy' }).click();
  }
});
