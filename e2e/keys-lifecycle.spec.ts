import { CreateAliasCommand, CreateKeyCommand, type CreateKeyCommandInput, DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { expect, test, type Page } from '@playwright/test';

// us-east-1, with key aliases under alias/e2e-lifecycle/: other specs own eu-west-1 and count its keys.
const REGION = 'us-east-1';
const DAY = 86_400_000;
let kms: KMSClient;
const ids = new Map<string, string>();

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const [alias, input] of [
    ['alias/e2e-lifecycle/toggle', { Description: 'Toggled on and off' }],
    ['alias/e2e-lifecycle/doomed', { Description: 'Scheduled for deletion' }],
    ['alias/e2e-lifecycle/signer', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'Release signing', Tags: [{ TagKey: 'team', TagValue: 'release' }] }],
  ] as Array<[string, CreateKeyCommandInput]>) {
    const KeyId = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyId }));
    ids.set(alias, KeyId);
  }
});

test.afterAll(() => kms.destroy());

/** Opens a key's page and waits for React (the lifecycle buttons answer only once hydrated). */
async function openKey(page: Page, alias: string, tab?: string) {
  await page.goto(`/keys/${ids.get(alias)}?region=${REGION}${tab ? `&tab=${tab}` : ''}`);
  await expect(page.getByRole('heading', { level: 1, name: alias })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

const status = (page: Page) => page.locator('h1 + p').getByText(/^(Enabled|Disabled|Pending deletion)$/);

test('disable and enable a key; the inventory follows', async ({ page }) => {
  await openKey(page, 'alias/e2e-lifecycle/toggle');
  await expect(status(page)).toHaveText('Enabled');
  await expect(page.getByRole('button', { name: 'Enable', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(page.getByText('Key disabled', { exact: true })).toBeVisible();
  await expect(status(page)).toHaveText('Disabled');
  expect((await kms.send(new DescribeKeyCommand({ KeyId: ids.get('alias/e2e-lifecycle/toggle') }))).KeyMetadata!.KeyState).toBe('Disabled');

  await page.goto(`/keys?region=${REGION}&q=e2e-lifecycle%2Ftoggle`);
  await expect(page.getByRole('row').filter({ hasText: 'alias/e2e-lifecycle/toggle' })).toContainText('Disabled');

  await openKey(page, 'alias/e2e-lifecycle/toggle');
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(status(page)).toHaveText('Enabled');
  expect((await kms.send(new DescribeKeyCommand({ KeyId: ids.get('alias/e2e-lifecycle/toggle') }))).KeyMetadata!.KeyState).toBe('Enabled');
});

test('schedule deletion in 7 days after typing the alias, see the date, then cancel (the key stays Disabled)', async ({ page }) => {
  const alias = 'alias/e2e-lifecycle/doomed';
  await openKey(page, alias);
  await page.getByRole('button', { name: 'Schedule deletion' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedule key deletion' });
  await expect(dialog).toContainText('ciphertext encrypted under it becomes unrecoverable');
  const days = dialog.getByLabel('Waiting period (days)');
  await expect(days).toHaveValue('30');
  await days.fill('5');
  await expect(dialog.getByText('The waiting period must be from 7 to 30 days.')).toBeVisible();
  await days.fill('7');
  const expected = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
  await expect(dialog.getByText(`The key will be deleted on ${expected}`)).toBeVisible();
  const submit = dialog.getByRole('button', { name: 'Schedule deletion' });
  await expect(submit).toBeDisabled();
  await dialog.getByLabel('Type the key ID or an alias to confirm').fill('alias/e2e-lifecycle/wrong');
  await expect(submit).toBeDisabled();
  await dialog.getByLabel('Type the key ID or an alias to confirm').fill(alias);
  await submit.click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Deletion scheduled', { exact: true })).toBeVisible();
  await expect(status(page)).toHaveText('Pending deletion');
  await expect(page.getByText(/Scheduled for deletion on \d{4}-\d\d-\d\d/)).toContainText(expected);

  const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: ids.get(alias) }))).KeyMetadata!;
  expect(metadata.KeyState).toBe('PendingDeletion');
  expect(metadata.DeletionDate!.toISOString().slice(0, 10)).toBe(expected);
  // A pending key cannot be disabled again or rescheduled; the buttons say why.
  await expect(page.getByRole('button', { name: 'Enable', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Enable', exact: true })).toHaveAccessibleDescription('The key is pending deletion: cancel the deletion first.');
  await page.getByRole('tab', { name: 'Tags' }).click();
  await expect(page.getByText('The key is pending deletion: cancel the deletion to change it.')).toBeVisible();

  await page.getByRole('button', { name: 'Cancel deletion' }).click();
  await expect(page.getByText('Deletion cancelled', { exact: true })).toBeVisible();
  await expect(page.getByText(/The key is now Disabled, as AWS leaves it/)).toBeVisible();
  await expect(status(page)).toHaveText('Disabled');
  expect((await kms.send(new DescribeKeyCommand({ KeyId: ids.get(alias) }))).KeyMetadata!.KeyState).toBe('Disabled');
});

test('an asymmetric key rotates by hand: reviewed plan, new key, alias moved, old key still enabled', async ({ page }) => {
  const alias = 'alias/e2e-lifecycle/signer';
  await openKey(page, alias, 'rotation');
  await expect(page.getByRole('tab', { name: 'Key rotation' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('KMS does not rotate asymmetric keys')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: alias })).toBeChecked();
  await page.getByRole('button', { name: 'Review the plan' }).click();
  const steps = page.getByRole('list', { name: 'Rotation steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('key spec ECC_NIST_P256, usage SIGN_VERIFY');
  await expect(steps.nth(1)).toContainText(`Move ${alias} to the new key`);
  await expect(steps.nth(2)).toContainText('Keep this key enabled');
  // Nothing has run yet.
  expect((await kms.send(new ListAliasesCommand({ KeyId: ids.get(alias) }))).Aliases!.map((a) => a.AliasName)).toEqual([alias]);

  await page.getByRole('button', { name: 'Run the rotation' }).click();
  await expect(steps.nth(2)).toContainText('— done');
  const link = page.getByRole('link', { name: /^[0-9a-f-]{36}$/ });
  const newKeyId = (await link.textContent())!;
  expect((await kms.send(new ListAliasesCommand({ KeyId: newKeyId }))).Aliases!.map((a) => a.AliasName)).toEqual([alias]);
  const created = (await kms.send(new DescribeKeyCommand({ KeyId: newKeyId }))).KeyMetadata!;
  expect(created).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'Release signing', KeyState: 'Enabled' });
  expect((await kms.send(new DescribeKeyCommand({ KeyId: ids.get(alias) }))).KeyMetadata!.KeyState).toBe('Enabled');

  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: alias })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/keys/${newKeyId}\\?region=${REGION}`));
});
