/**
 * /learn in the browser: every scenario completed step by step against the demo emulator (each step
 * passes and shows its call, CloudTrail event and CLI command), progress on the list, reset of a scenario
 * (its key scheduled for deletion, its progress cleared), and axe checks of both pages.
 */
import fs from 'node:fs/promises';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const SHOTS = '/tmp/learn-shots';
const SCENARIOS = process.env.LEARN_ONLY ? [process.env.LEARN_ONLY] : ['secrets-in-code', 'envelope-encryption', 'key-policy-basics', 'cross-account', 'rotation', 'multi-region', 's3-replication', 'cost'];

test.describe.configure({ mode: 'serial' });

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shoot(page: Page, name: string) {
  if (!process.env.LEARN_SHOTS) return;
  await fs.mkdir(SHOTS, { recursive: true });
  // The console scrolls inside its main column, so a tall viewport shows the whole page.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 2600 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SHOTS}/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  if (size) await page.setViewportSize(size);
}

/** Runs every step of the open scenario in order; each must pass. */
async function completeScenario(page: Page) {
  const steps = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  // count() does not wait: let the scenario page render its steps first (a cold page can take seconds).
  await expect(steps.first()).toBeVisible({ timeout: 30_000 });
  const count = await steps.count();
  expect(count).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) {
    const step = steps.nth(i);
    const t = Date.now();
    await step.getByRole('button', { name: 'Run step' }).click();
    await expect(step.getByRole('status')).toContainText('Passed:', { timeout: 20_000 });
    if (process.env.LEARN_TIMING) console.log(`step ${i + 1}: ${Date.now() - t} ms`);
  }
  await expect(page.getByText(`${count} of ${count} steps passed.`)).toBeVisible();
}

test('the scenario list shows the eight scenarios with progress, in the sidebar too', async ({ page }) => {
  // The first page of a fresh server warms the emulator and the store.
  test.setTimeout(90_000);
  await page.goto('/learn');
  await expect(page.getByRole('heading', { level: 1, name: 'Learn' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Learn', exact: true })).toBeVisible();
  const items = page.getByRole('list', { name: 'Scenarios' }).getByRole('listitem');
  await expect(items).toHaveCount(8);
  await expect(page.getByRole('progressbar', { name: 'Secrets in code progress' })).toHaveAttribute('aria-valuenow', '0');
  await expectAccessible(page);
  await shoot(page, 'list-empty');
});

test('every scenario completes in the browser, showing calls, CloudTrail events and CLI commands', async ({ page }) => {
  test.setTimeout(180_000);
  for (const id of SCENARIOS) {
    const t = Date.now();
    await page.goto(`/learn/${id}`);
    if (process.env.LEARN_TIMING) console.log(`open ${id}: ${Date.now() - t} ms`);
    await completeScenario(page);
    if (id === 'key-policy-basics') {
      // The denied call explained: the auditor's refused Decrypt, its CloudTrail event and the deciding statement.
      const step = page.getByRole('list', { name: 'Steps' }).getByRole('listitem').last();
      await expect(step.getByLabel('Simulation')).toContainText('"Deny the auditor plaintext"');
      const denied = step.locator('details', { hasText: 'as auditor' });
      await denied.locator('summary').click();
      await expect(denied.getByText('AccessDeniedException').first()).toBeVisible();
      await expect(denied.getByLabel('Decrypt CloudTrail record')).toContainText('"errorCode": "AccessDenied"');
      await expectAccessible(page);
      await shoot(page, 'policy-denied');
    }
  }
  await page.goto('/learn');
  for (const name of ['Secrets in code', 'What it costs', 'Multi-Region keys']) {
    await expect(page.getByRole('progressbar', { name: `${name} progress` })).toHaveAttribute('aria-valuetext', /^(\d) of \1 steps passed$/);
  }
  await expect(page.getByText('Completed')).toHaveCount(8);
  await shoot(page, 'list-done');
});

test('a call shows its request with the plaintext masked until revealed, its CLI twin and its event; reset schedules the keys for deletion', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await page.goto('/learn/secrets-in-code');
  const steps = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
  // Progress was saved: the steps show as passed after a reload.
  await expect(steps.first().getByText('Passed', { exact: true })).toBeVisible();
  await steps.first().getByRole('button', { name: 'Run step again' }).click();
  await expect(steps.first().getByRole('status')).toContainText('Passed:');
  const create = steps.first().locator('details').first();
  await create.locator('summary').click();
  const arn = (JSON.parse((await create.getByLabel('CreateKey response JSON').textContent()) ?? '{}') as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
  await expect(create.getByLabel('CreateKey AWS CLI command')).toContainText(`aws kms create-key`);
  await expect(create.getByLabel('CreateKey AWS CLI command')).toContainText(`--endpoint-url ${baseURL}/api/kms`);
  await expect(create.getByLabel('CreateKey CloudTrail record')).toContainText('"eventName": "CreateKey"');

  await steps.nth(1).getByRole('button', { name: 'Run step again' }).click();
  await expect(steps.nth(1).getByRole('status')).toContainText('Passed:');
  const encrypt = steps.nth(1).locator('details').first();
  await encrypt.locator('summary').click();
  await expect(encrypt.getByLabel('Encrypt request JSON')).toContainText('hidden (24 bytes)');
  await encrypt.getByRole('button', { name: 'Reveal secrets' }).click();
  await expect(encrypt.getByLabel('Encrypt request JSON')).not.toContainText('hidden');
  await expectAccessible(page);
  await shoot(page, 'secrets-run');

  await page.getByRole('button', { name: 'Reset scenario' }).click();
  await page.getByRole('dialog', { name: 'Reset this scenario?' }).getByRole('button', { name: 'Schedule deletion and reset' }).click();
  await expect(page.getByText(/2 keys scheduled for deletion on \d{4}-\d\d-\d\d/)).toBeVisible();
  await expect(page.getByText('0 of 4 steps passed.')).toBeVisible();
  await expect(steps.first().getByText('Not run')).toBeVisible();

  const region = arn.split(':')[3];
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const described = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
  kms.destroy();
  expect(described.KeyMetadata?.KeyState).toBe('PendingDeletion');
  const days = (described.KeyMetadata!.DeletionDate!.getTime() - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(6.9);

  await page.goto('/learn');
  await expect(page.getByRole('progressbar', { name: 'Secrets in code progress' })).toHaveAttribute('aria-valuenow', '0');
});
