import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, EncryptCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect, test, type Page } from '@playwright/test';

// The AWS CLI examples below use us-east-1; every alias here starts e2e-wizard/ so other specs' keys do not matter.
const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const NEW_KEY = `/keys/new?region=${REGION}`;
const SHOTS = '/tmp/wizard-shots';
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const SECURITY_ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/security-admin`;
const PARTNER_ROOT = 'arn:aws:iam::444455556666:root';

const run = promisify(execFile);

// Two cores shared by several test suites: a journey through five steps may take more than the default 30 s.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let kmsEndpoint = '';
const client = (accessKeyId = 'test', secretAccessKey = 'test') => new KMSClient({ endpoint: kmsEndpoint, region: REGION, credentials: { accessKeyId, secretAccessKey } });

test.beforeAll(async ({ baseURL }) => {
  kmsEndpoint = `${baseURL}/api/kms`;
  fs.mkdirSync(SHOTS, { recursive: true });
  // CloudTrail learns who works here: the application and security-admin roles call KMS in us-east-1.
  const admin = client();
  const keyId = (await admin.send(new CreateKeyCommand({ Description: 'e2e-wizard: owner of the taken alias' }))).KeyMetadata!.KeyId!;
  await admin.send(new CreateAliasCommand({ AliasName: 'alias/e2e-wizard/taken', TargetKeyId: keyId }));
  await client('AKIAAPPLICATION0001', 'application-secret').send(new DescribeKeyCommand({ KeyId: keyId }));
  await client('AKIASECURITYADMIN01', 'security-admin-secret').send(new ListKeysCommand({}));
  admin.destroy();
});

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 2, name });
const next = (page: Page) => page.getByRole('button', { name: 'Next', exact: true }).click();

/** Opens the wizard and waits until React has hydrated (the principals table has loaded from CloudTrail in the background). */
async function openWizard(page: Page) {
  await page.goto(NEW_KEY);
  await expect(heading(page, 'Configure key')).toBeVisible();
  await expect(page.getByRole('radio', { name: /^Symmetric/ })).toBeChecked();
}

async function checkAxe(page: Page, label: string) {
  const { violations } = await axeScan(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), label).toEqual([]);
}

test('creates a symmetric key with alias, description, tag, administrator and users; the AWS CLI sees it', async ({ page, baseURL }) => {
  await page.goto(`/keys?region=${REGION}`);
  await page.getByRole('link', { name: 'Create key' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/new\\?region=${REGION}$`));
  await expect(heading(page, 'Configure key')).toBeVisible();
  await expect(page.getByRole('radio', { name: /^SYMMETRIC_DEFAULT/ })).toBeChecked();
  await next(page);

  await expect(heading(page, 'Add labels')).toBeVisible();
  await expect(page).toHaveURL(/[?&]step=labels/);
  await page.getByLabel('Alias', { exact: true }).fill('e2e-wizard/orders');
  await page.getByLabel(/^Description/).fill('Orders database, created in the wizard');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 1 key').fill('team');
  await page.getByLabel('Tag 1 value').fill('orders');
  await next(page);

  await expect(heading(page, 'Key administrators')).toBeVisible();
  // Principals come from CloudTrail: the session of the security-admin role is offered as the role.
  await page.getByRole('checkbox', { name: `Key administrator: ${SECURITY_ADMIN_ROLE}` }).check();
  await expect(page.getByRole('checkbox', { name: `Key administrator: arn:aws:iam::${ACCOUNT}:root` })).toBeVisible();
  await next(page);

  await expect(heading(page, 'Key users')).toBeVisible();
  await page.getByRole('checkbox', { name: `Key user: ${APP_ROLE}` }).check();
  // Another account, typed as an account id: a bad one first.
  await page.getByLabel('Add another principal').fill('12345');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByText('An AWS account id has exactly 12 digits.')).toBeVisible();
  await page.getByLabel('Add another principal').fill('444455556666');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('checkbox', { name: `Key user: ${PARTNER_ROOT}` })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Allow key users to attach the key/ })).toBeChecked();
  await next(page);

  await expect(heading(page, 'Review')).toBeVisible();
  await expect(page.getByText('Valid key policy')).toBeVisible();
  const policy = page.getByLabel('Key policy JSON');
  await expect(policy).toContainText('"Sid": "Allow access for Key Administrators"');
  await expect(policy).toContainText(APP_ROLE);
  await expect(policy).toContainText('kms:GrantIsForAWSResource');
  await expect(page.getByText('team=orders')).toBeVisible();
  await page.getByRole('button', { name: 'Create key' }).click();

  await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();
  const keyId = (await page.getByText(/^[0-9a-f]{8}-[0-9a-f]{4}-/).textContent())!.trim();
  await page.getByRole('link', { name: 'View key' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${keyId}\\?region=${REGION}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'alias/e2e-wizard/orders' })).toBeVisible();

  await page.goto(`/keys?region=${REGION}&q=e2e-wizard%2Forders`);
  const row = page.getByRole('row').filter({ hasText: 'alias/e2e-wizard/orders' });
  await expect(row).toContainText(keyId);
  await expect(row).toContainText('team=orders');

  // The AWS CLI, pointed at the console's /api/kms, sees the key and the policy the wizard wrote.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  const cli = async (...args: string[]) => JSON.parse((await run('aws', ['kms', ...args, '--endpoint-url', `${baseURL}/api/kms`, '--region', REGION, '--output', 'json'], { env })).stdout);
  const described = await cli('describe-key', '--key-id', 'alias/e2e-wizard/orders');
  expect(described.KeyMetadata).toMatchObject({ KeyId: keyId, Description: 'Orders database, created in the wizard', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' });
  const keyPolicy = JSON.parse((await cli('get-key-policy', '--key-id', keyId, '--policy-name', 'default')).Policy) as { Statement: { Sid: string; Principal: { AWS: string | string[] } }[] };
  expect(keyPolicy.Statement.find((s) => s.Sid === 'Allow use of the key')?.Principal.AWS).toEqual([APP_ROLE, PARTNER_ROOT]);
  expect(keyPolicy.Statement.find((s) => s.Sid === 'Allow access for Key Administrators')?.Principal.AWS).toBe(SECURITY_ADMIN_ROLE);

  // The policy works: the partner account may now encrypt with the key, across accounts.
  const partner = client('partner', 'partner');
  const encrypted = await partner.send(new EncryptCommand({ KeyId: described.KeyMetadata.Arn, Plaintext: new TextEncoder().encode('hello') }));
  expect(encrypted.KeyId).toBe(described.KeyMetadata.Arn);
  partner.destroy();
});

test('creates an ECC signing key and an HMAC key', async ({ page }) => {
  await openWizard(page);
  await page.getByRole('radio', { name: /^Asymmetric/ }).check();
  await page.getByRole('radio', { name: /^Sign & verify/ }).check();
  // Key agreement is offered for NIST curves only; RSA encryption only for RSA.
  await expect(page.getByRole('radio', { name: /^ECC_SECG_P256K1/ })).toBeVisible();
  await page.getByRole('radio', { name: /^ECC_NIST_P256/ }).check();
  await expect(page.getByText('ECDSA_SHA_256').first()).toBeVisible();
  await next(page);
  await page.getByLabel('Alias', { exact: true }).fill('e2e-wizard/signing');
  await next(page);
  await next(page);
  await expect(heading(page, 'Key users')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Allow key users to attach the key/ })).toBeDisabled();
  await next(page);
  await expect(page.getByLabel('Key policy JSON')).not.toContainText('kms:GrantIsForAWSResource');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();

  await page.getByRole('button', { name: 'Create another key' }).click();
  await expect(heading(page, 'Configure key')).toBeVisible();
  await page.getByRole('radio', { name: /^HMAC/ }).check();
  await page.getByRole('radio', { name: /^HMAC_384/ }).check();
  await next(page);
  await page.getByLabel('Alias', { exact: true }).fill('e2e-wizard/webhooks');
  await next(page);
  await next(page);
  await next(page);
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();

  const kms = client();
  expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/e2e-wizard/signing' }))).KeyMetadata).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
  expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/e2e-wizard/webhooks' }))).KeyMetadata).toMatchObject({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', MacAlgorithms: ['HMAC_SHA_384'] });
  kms.destroy();
});

test('a multi-Region key with imported material starts Pending import', async ({ page }) => {
  await openWizard(page);
  await page.getByRole('radio', { name: /^External/ }).check();
  await expect(page.getByText(/starts in the Pending import state/)).toBeVisible();
  await page.getByRole('radio', { name: /^Multi-Region key/ }).check();
  await next(page);
  await page.getByLabel('Alias', { exact: true }).fill('e2e-wizard/byok');
  await next(page);
  await next(page);
  await next(page);
  await expect(page.getByText('External — the key starts Pending import')).toBeVisible();
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();
  await expect(page.getByText(/^mrk-[0-9a-f]{32}$/)).toBeVisible();
  await expect(page.getByText('Pending import — import key material to use the key')).toBeVisible();
});

test('inline validation blocks Next: bad alias, reserved alias, aws: tag, taken alias; Back keeps what was typed', async ({ page }) => {
  await openWizard(page);
  await next(page);
  const alias = page.getByLabel('Alias', { exact: true });
  const labels = heading(page, 'Add labels');

  await next(page);
  await expect(page.getByText('Enter an alias name.')).toBeVisible();
  await expect(alias).toHaveAttribute('aria-invalid', 'true');

  await alias.fill('has space');
  await next(page);
  await expect(page.getByText('Use only letters, digits, slashes (/), underscores (_) and hyphens (-).')).toBeVisible();
  await expect(labels).toBeVisible();

  await alias.fill('aws/mine');
  await next(page);
  await expect(page.getByText('Aliases beginning with alias/aws/ are reserved for AWS managed keys.')).toBeVisible();
  await expect(labels).toBeVisible();

  await alias.fill('e2e-wizard/fine');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 1 key').fill('aws:owner');
  await next(page);
  await expect(page.getByText('Tag keys beginning with aws: are reserved for AWS.')).toBeVisible();
  await expect(labels).toBeVisible();
  await page.getByLabel('Tag 1 key').fill('owner');

  await alias.fill('e2e-wizard/taken');
  await next(page);
  await expect(page.getByText(`alias/e2e-wizard/taken is already used by another key in ${REGION}. Choose another alias.`)).toBeVisible();
  await expect(labels).toBeVisible();
  await expect(alias).toBeFocused();

  // Back and forth keeps the draft.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(heading(page, 'Configure key')).toBeVisible();
  await next(page);
  await expect(alias).toHaveValue('e2e-wizard/taken');
  await expect(page.getByLabel('Tag 1 key')).toHaveValue('owner');
  await alias.fill('e2e-wizard/free');
  await next(page);
  await expect(heading(page, 'Key administrators')).toBeVisible();
  // The browser's Back goes to the previous step, with the draft intact.
  await page.goBack();
  await expect(labels).toBeVisible();
  await expect(alias).toHaveValue('e2e-wizard/free');

  // A link straight to a later step cannot skip the checks.
  await page.goto(`${NEW_KEY}&step=review`);
  await expect(heading(page, 'Configure key')).toBeVisible();
  await expect(page).toHaveURL(/[?&]step=configure/);
});

test('an alias taken after its check fails Create with the KMS error, creates nothing and keeps the draft', async ({ page }) => {
  await openWizard(page);
  await next(page);
  await page.getByLabel('Alias', { exact: true }).fill('e2e-wizard/race');
  await page.getByLabel(/^Description/).fill('Kept after a failure');
  await next(page);
  await next(page);
  await next(page);
  await expect(heading(page, 'Review')).toBeVisible();

  // Someone takes the alias while the user reviews.
  const kms = client();
  const theirs = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/e2e-wizard/race', TargetKeyId: theirs }));
  const before = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;

  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'No key was created.' })).toContainText('AlreadyExistsException');
  await expect(page.getByRole('alert').filter({ hasText: 'No key was created.' })).toContainText('alias/e2e-wizard/race');
  expect((await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length).toBe(before);

  await page.getByRole('button', { name: 'Edit labels' }).click();
  await expect(page.getByLabel(/^Description/)).toHaveValue('Kept after a failure');
  await expect(page.getByText('No key was created.')).toHaveCount(0);
  await page.getByLabel('Alias', { exact: true }).fill('e2e-wizard/race-2');
  for (let i = 0; i < 3; i++) await next(page);
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();
  expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/e2e-wizard/race-2' }))).KeyMetadata?.Description).toBe('Kept after a failure');
  kms.destroy();
});

test('axe finds no serious or critical violations on any step, light and dark (screenshots in /tmp/wizard-shots)', async ({ page }) => {
  test.setTimeout(240_000);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await openWizard(page);
    await page.getByRole('radio', { name: /^External/ }).check();
    const steps = ['configure', 'labels', 'administrators', 'users', 'review'];
    for (const [i, step] of steps.entries()) {
      if (step === 'labels') {
        await page.getByLabel('Alias', { exact: true }).fill('aws/not-allowed');
        await page.getByRole('button', { name: 'Add tag' }).click();
        await page.getByLabel('Tag 1 key').fill('aws:reserved');
        await next(page);
        await expect(page.getByText('Tag keys beginning with aws: are reserved for AWS.')).toBeVisible();
        await page.screenshot({ path: `${SHOTS}/${i + 1}-${step}-problems-${colorScheme}.png`, fullPage: true });
        await checkAxe(page, `${step} with problems, ${colorScheme}`);
        await page.getByLabel('Alias', { exact: true }).fill(`e2e-wizard/axe-${colorScheme}`);
        await page.getByLabel('Tag 1 key').fill('team');
        await page.getByLabel('Tag 1 value').fill('security');
      }
      if (step === 'administrators') {
        await expect(page.getByRole('checkbox', { name: `Key administrator: ${SECURITY_ADMIN_ROLE}` })).toBeVisible();
        await page.getByRole('checkbox', { name: `Key administrator: ${SECURITY_ADMIN_ROLE}` }).check();
      }
      if (step === 'users') await page.getByRole('checkbox', { name: `Key user: ${APP_ROLE}` }).check();
      await page.screenshot({ path: `${SHOTS}/${i + 1}-${step}-${colorScheme}.png`, fullPage: true });
      if (step === 'review') await page.getByLabel('Key policy JSON').screenshot({ path: `${SHOTS}/5-review-policy-${colorScheme}.png` });
      await checkAxe(page, `${step}, ${colorScheme}`);
      if (step !== 'review') await next(page);
    }
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/6-created-${colorScheme}.png`, fullPage: true });
    await checkAxe(page, `created, ${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/keys?region=${REGION}`);
  await expect(page.getByRole('link', { name: 'Create key' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/0-inventory-light.png` });
});
