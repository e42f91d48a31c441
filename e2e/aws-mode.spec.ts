/**
 * Real-AWS mode, end to end: a console started with KEYDECK_MODE=aws whose AWS_ENDPOINT_URL is the
 * standalone emulator (playwright.config.ts starts both). Keys are made with the AWS CLI and the SDK
 * against that emulator, as they would be against AWS; the console reaches a second account by
 * assuming a role through STS.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { axeScan } from './axe';
import { expect, test, type Page } from '@playwright/test';

const ENDPOINT = process.env.KEYDECK_E2E_EMULATOR_URL!;
const ADMIN = { accessKeyId: 'test', secretAccessKey: 'test' };
const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/keydeck-console';
const SHOTS = process.env.KEYDECK_E2E_SHOTS_DIR ?? '/tmp/awsmode-shots';

const keys = { cli: '', sdkEuWest1: '', partner: '' };

/** `aws kms …` against the standalone emulator, with only the test credentials (no profile from the machine). */
function awsCli(...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return new Promise((resolve, reject) => {
    execFile('aws', [...args, '--endpoint-url', ENDPOINT, '--output', 'json'], { env, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`aws ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

// Generous: the machine running the suite is shared, and axe-core takes seconds per check under load.
test.describe.configure({ mode: 'serial', timeout: 90_000 });

test.beforeAll(async () => {
  // The main account, us-east-1: a key made with the AWS CLI (its alias with the SDK: each CLI run costs seconds).
  keys.cli = (JSON.parse(await awsCli('kms', 'create-key', '--description', 'aws-mode: made with the AWS CLI')) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const east = new KMSClient({ endpoint: ENDPOINT, region: 'us-east-1', credentials: ADMIN });
  await east.send(new CreateAliasCommand({ AliasName: 'alias/aws-mode/cli', TargetKeyId: keys.cli }));
  east.destroy();

  // The main account, eu-west-1: a key made with the SDK.
  const west = new KMSClient({ endpoint: ENDPOINT, region: 'eu-west-1', credentials: ADMIN });
  keys.sdkEuWest1 = (await west.send(new CreateKeyCommand({ Description: 'aws-mode: SDK in eu-west-1' }))).KeyMetadata!.KeyId!;
  await west.send(new CreateAliasCommand({ AliasName: 'alias/aws-mode/sdk-west', TargetKeyId: keys.sdkEuWest1 }));
  west.destroy();

  // The partner account, us-east-1: made by a session of the role the console assumes too.
  const partner = await partnerKms();
  keys.partner = (await partner.send(new CreateKeyCommand({ Description: 'aws-mode: partner account key' }))).KeyMetadata!.KeyId!;
  await partner.send(new CreateAliasCommand({ AliasName: 'alias/aws-mode/partner', TargetKeyId: keys.partner }));
  partner.destroy();
  fs.mkdirSync(SHOTS, { recursive: true });
});

/** A KMS client in the partner account: a session of the role the console assumes, straight to the emulator. */
async function partnerKms(): Promise<KMSClient> {
  const sts = new STSClient({ endpoint: ENDPOINT, region: 'us-east-1', credentials: ADMIN });
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: PARTNER_ROLE, RoleSessionName: 'e2e-check' }));
  sts.destroy();
  return new KMSClient({
    endpoint: ENDPOINT,
    region: 'us-east-1',
    credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
  });
}

/** Opens a view and waits until the page is interactive (the refresh time turns relative once React runs). */
async function open(page: Page, url: string) {
  await page.goto(url);
  // A snapshot cached by an earlier test may be a minute old.
  await expect(page.getByText(/Refreshed (just now|\d+ s ago|\d+ min ago)/)).toBeVisible();
}

const table = (page: Page) => page.getByRole('table');

/** Screenshots in light and dark mode, with axe-core's check of each unless the page is checked by another spec. */
async function shots(page: Page, name: string, { axe = true } = {}) {
  // The console scrolls inside <main>, so a full-page shot needs a tall window.
  await page.setViewportSize({ width: 1280, height: 1500 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/${name}-${colorScheme}.png` });
    if (!axe) continue;
    const { violations } = await axeScan(page);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `${name} in ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
  await page.setViewportSize({ width: 1280, height: 720 });
}

test('the inventory lists the keys made with the CLI and the SDK, per region and per account', async ({ page }) => {
  await open(page, '/keys');
  const banner = page.getByRole('banner');
  await expect(banner.getByText('AWS', { exact: true })).toBeVisible();
  await expect(page.getByText(/Demo mode/)).toHaveCount(0);
  await expect(page.getByLabel('Account')).toHaveValue('main');
  await expect(page.getByLabel('Region')).toHaveValue('us-east-1');
  await expect(table(page).getByText('alias/aws-mode/cli')).toBeVisible();
  await expect(table(page).getByText(keys.cli)).toBeVisible();
  await expect(table(page).getByText(keys.partner)).toHaveCount(0);
  // /keys itself is axe-checked by keys-inventory.spec.ts; here the header with its account switcher is new.
  await shots(page, 'aws-keys', { axe: false });
  const { violations } = await axeScan(page, ['header']);
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  await page.getByLabel('Region').selectOption('eu-west-1');
  await expect(page).toHaveURL(/\/keys\?region=eu-west-1$/);
  await expect(table(page).getByText('alias/aws-mode/sdk-west')).toBeVisible();
  await expect(table(page).getByText(keys.cli)).toHaveCount(0);

  // The partner account has nothing in eu-west-1; its key is in us-east-1.
  await page.getByLabel('Account').selectOption('partner');
  await expect(page).toHaveURL(/[?&]account=partner/);
  await expect(page).toHaveURL(/[?&]region=eu-west-1/);
  await expect(page.getByText(/^0 keys$/)).toBeVisible();
  await page.getByLabel('Region').selectOption('us-east-1');
  await expect(page).toHaveURL(/[?&]region=us-east-1/);
  await expect(page).toHaveURL(/[?&]account=partner/);
  await expect(table(page).getByText('alias/aws-mode/partner')).toBeVisible();
  await expect(table(page).getByText(keys.cli)).toHaveCount(0);

  // A key's page stays in its account: its ARN names the partner account, and the way back keeps it.
  await table(page).getByRole('link', { name: 'alias/aws-mode/partner' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${keys.partner}\\?region=us-east-1&account=partner$`));
  await expect(page.getByText(`arn:aws:kms:us-east-1:444455556666:key/${keys.partner}`).first()).toBeVisible();

  // Sections keep the account; an account whose role cannot be assumed shows STS's exact refusal.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Keys' }).click();
  await expect(page).toHaveURL(/\/keys\?region=us-east-1&account=partner$/);
  await page.getByLabel('Account').selectOption('broken');
  await expect(page).toHaveURL(/[?&]account=broken/);
  await expect(page.getByText(/AccessDenied/).first()).toBeVisible();
  await expect(page.getByText(/is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role\/missing/).first()).toBeVisible();
});

test('Settings shows each account’s resolved identity, the assumed role, and which regions answer', async ({ page }) => {
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const config = page.getByRole('region', { name: 'Configuration' });
  await expect(config).toContainText('AWS');
  await expect(config).toContainText('us-east-1, eu-west-1');
  await expect(config).toContainText(ENDPOINT);

  const main = page.getByRole('region', { name: 'Account main' });
  await expect(main).toContainText('arn:aws:iam::111122223333:user/admin');
  await expect(main).toContainText('the base credentials');
  await expect(main.getByRole('row').filter({ hasText: 'us-east-1' })).toContainText('Answers');
  await expect(main.getByRole('row').filter({ hasText: 'eu-west-1' })).toContainText('Answers');
  await expect(main.getByRole('row').filter({ hasText: 'us-east-1' })).toContainText(/\d+ ms/);

  const partner = page.getByRole('region', { name: 'Account partner' });
  await expect(partner).toContainText('arn:aws:sts::444455556666:assumed-role/keydeck-console/keydeck');
  await expect(partner).toContainText(`assuming ${PARTNER_ROLE}`);
  await expect(partner).toContainText(/AROA[A-Z0-9]{17}:keydeck/);
  await expect(partner.getByText('Answers')).toHaveCount(2);

  const broken = page.getByRole('region', { name: 'Account broken' });
  await expect(broken.getByRole('alert')).toContainText(
    'STS GetCallerIdentity failed: AccessDenied: User: arn:aws:iam::111122223333:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/missing',
  );
  await expect(broken.getByText('Fails')).toHaveCount(2);

  // "Check again" runs the checks anew.
  const checked = await page.locator('time').first().getAttribute('datetime');
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByRole('button', { name: 'Check again' })).toBeEnabled();
  await expect.poll(() => page.locator('time').first().getAttribute('datetime')).not.toBe(checked);
  await shots(page, 'aws-settings');
});

test('in demo mode, Settings shows the emulator’s identity, its regions and the data dir', async ({ page }) => {
  // The demo console of the same run (playwright.config.ts: E2E_PORT), signed in as its admin: cookies
  // ignore the port, so the demo session's cookie takes the place of the aws-mode console's.
  await page.context().addCookies(JSON.parse(fs.readFileSync(`${process.env.KEYDECK_E2E_AUTH_DIR}/admin.json`, 'utf8')).cookies);
  await page.goto(`http://127.0.0.1:${process.env.E2E_PORT ?? 3100}/settings`);
  const config = page.getByRole('region', { name: 'Configuration' });
  await expect(config).toContainText('DEMO');
  await expect(config).toContainText(process.env.KEYDECK_E2E_DATA_DIR!);
  const account = page.getByRole('region', { name: 'Account 111122223333' });
  await expect(account).toContainText('arn:aws:iam::111122223333:user/admin');
  await expect(account.getByText('Answers')).toHaveCount(3);
  await shots(page, 'demo-settings');
});

test('the write flows act in the account shown: wizard, lifecycle, rotation, alias and tag in partner land in 444455556666 only', async ({ page }) => {
  test.setTimeout(120_000);
  const alias = 'alias/aws-mode/partner-wizard';
  // From the partner inventory, Create key keeps the account; the policy names the partner account's root.
  await open(page, '/keys?region=us-east-1&account=partner');
  await page.getByRole('link', { name: 'Create key' }).click();
  await expect(page).toHaveURL(/\/keys\/new\?region=us-east-1&account=partner$/);
  await expect(page.getByText('of account 444455556666')).toBeVisible();
  await expect(page.getByRole('radio', { name: /^Symmetric/ })).toBeChecked();
  const next = () => page.getByRole('button', { name: 'Next', exact: true }).click();
  await next();
  await page.getByLabel('Alias', { exact: true }).fill('aws-mode/partner-wizard');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 1 key').fill('team');
  await page.getByLabel('Tag 1 value').fill('partner');
  await next();
  await expect(page.getByRole('heading', { level: 2, name: 'Key administrators' })).toBeVisible();
  await next();
  await expect(page.getByRole('heading', { level: 2, name: 'Key users' })).toBeVisible();
  await next();
  await expect(page.getByLabel('Key policy JSON')).toContainText('arn:aws:iam::444455556666:root');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('heading', { name: 'Key created' })).toBeVisible();
  await expect(page.getByText(/^arn:aws:kms:us-east-1:444455556666:key\//)).toBeVisible();
  const keyId = (await page.getByText(/^[0-9a-f]{8}-[0-9a-f]{4}-/).textContent())!.trim();
  await page.getByRole('link', { name: 'View key' }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${keyId}\\?region=us-east-1&account=partner$`));
  await expect(page.getByRole('heading', { level: 1, name: alias })).toBeVisible();
  await page.waitForLoadState('networkidle');

  // Disable and enable.
  const status = page.locator('h1 + p').getByText(/^(Enabled|Disabled|Pending deletion)$/);
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(page.getByText('Key disabled', { exact: true })).toBeVisible();
  await expect(status).toHaveText('Disabled');
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(status).toHaveText('Enabled');

  // Schedule deletion in 7 days, then cancel it (the key comes back Disabled, as AWS leaves it) and enable it again.
  await page.getByRole('button', { name: 'Schedule deletion' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule key deletion' });
  await dialog.getByLabel('Waiting period (days)').fill('7');
  await dialog.getByLabel('Type the key ID or an alias to confirm').fill(alias);
  await dialog.getByRole('button', { name: 'Schedule deletion' }).click();
  await expect(page.getByText('Deletion scheduled', { exact: true })).toBeVisible();
  await expect(status).toHaveText('Pending deletion');
  await page.getByRole('button', { name: 'Cancel deletion' }).click();
  await expect(page.getByText('Deletion cancelled', { exact: true })).toBeVisible();
  await expect(status).toHaveText('Disabled');
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(status).toHaveText('Enabled');

  // Rotation: automatic every 180 days, then one on demand, which the history shows.
  await page.getByRole('tab', { name: 'Key rotation' }).click();
  await page.getByLabel('Rotate this key automatically').check();
  await page.getByLabel('Rotation period (days)').fill('180');
  await page.getByRole('button', { name: 'Save rotation settings' }).click();
  await expect(page.getByText('Automatic rotation on, every 180 days')).toBeVisible();
  await page.getByRole('button', { name: 'Rotate now' }).click();
  await expect(page.getByText('Key rotated', { exact: true })).toBeVisible();
  const history = page.getByRole('table', { name: 'Rotation history' });
  await expect(history.getByRole('row')).toHaveCount(2);
  await expect(history.getByRole('row').nth(1)).toContainText('On demand');

  // A second alias, and the wizard's tag edited.
  await page.getByRole('tab', { name: 'Aliases' }).click();
  await page.getByLabel('New alias').fill('alias/aws-mode/partner-second');
  await page.getByRole('button', { name: 'Add alias' }).click();
  await expect(page.getByRole('table', { name: 'Aliases' }).getByText('alias/aws-mode/partner-second', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Tags' }).click();
  const tags = page.getByRole('table', { name: 'Tags' });
  await page.getByRole('button', { name: 'Edit tag team' }).click();
  await tags.getByLabel('Tag value').fill('platform');
  await page.getByRole('button', { name: 'Save tag' }).click();
  await expect(tags.getByRole('row').filter({ hasText: 'team' })).toContainText('platform');
  if (process.env.KEYDECK_E2E_SHOTS) await shots(page, 'aws-partner-key', { axe: false });

  // As the partner role, straight to the emulator: every change is in 444455556666.
  const partner = await partnerKms();
  expect((await partner.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({ AWSAccountId: '444455556666', KeyState: 'Enabled' });
  const policy = (await partner.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!;
  expect(policy).toContain('arn:aws:iam::444455556666:root');
  expect(policy).not.toContain('111122223333');
  expect(await partner.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
  expect((await partner.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations?.map((r) => r.RotationType)).toEqual(['ON_DEMAND']);
  expect(((await partner.send(new ListAliasesCommand({ KeyId: keyId }))).Aliases ?? []).map((a) => a.AliasName).sort()).toEqual(['alias/aws-mode/partner-second', alias]);
  expect((await partner.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'platform' }]);
  partner.destroy();

  // …and nothing in 111122223333, the default account's.
  const main = new KMSClient({ endpoint: ENDPOINT, region: 'us-east-1', credentials: ADMIN });
  await expect(main.send(new DescribeKeyCommand({ KeyId: keyId }))).rejects.toMatchObject({ name: 'NotFoundException' });
  expect(((await main.send(new ListAliasesCommand({}))).Aliases ?? []).map((a) => a.AliasName).filter((n) => n?.startsWith('alias/aws-mode/partner'))).toEqual([]);
  main.destroy();

  // The partner inventory lists the key with its aliases (its row reloaded after each write); the main one does not.
  await page.getByRole('link', { name: 'All keys' }).click();
  await expect(page).toHaveURL(/\/keys\?region=us-east-1&account=partner$/);
  await expect(table(page).getByRole('row').filter({ hasText: keyId })).toContainText('alias/aws-mode/partner-second');
  await open(page, '/keys?region=us-east-1');
  await expect(table(page).getByText(keyId)).toHaveCount(0);
});
