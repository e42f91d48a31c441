import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { expect, test, type Page } from '@playwright/test';

// eu-west-2 belongs to this spec alone, so the counts below are not disturbed by other specs' keys.
const REGION = 'eu-west-2';
const COUNT = /^(\d+) keys?$/;

async function keyCount(page: Page): Promise<number> {
  const text = await page.getByText(COUNT).textContent();
  return Number(COUNT.exec(text ?? '')?.[1]);
}

test('the console opens on the key inventory and always shows demo mode, account and region', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Keys' })).toBeVisible();
  const banner = page.getByRole('banner');
  await expect(banner.getByText('DEMO', { exact: true })).toBeVisible();
  await expect(banner.getByText('Demo mode')).toBeVisible();
  await expect(banner.getByText('111122223333')).toBeVisible();
  await expect(page.getByLabel('Region')).toHaveValue('us-east-1');
  await expect(page.getByText(/Demo mode: every key here lives in Keydeck/)).toBeVisible();

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: testInfo.outputPath(`shell-${colorScheme}.png`) });
  }
});

test('a key created through /api/kms shows up in the inventory on the next load', async ({ page, baseURL }) => {
  await page.goto(`/keys?region=${REGION}`);
  const before = await keyCount(page);

  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const created = await kms.send(new CreateKeyCommand({ Description: 'e2e: home page count' }));
  kms.destroy();
  const keyId = created.KeyMetadata!.KeyId!;

  // The demo endpoint drops the server's cached inventory of the region on a change, so a reload sees it.
  await page.reload();
  await expect(page.getByText(COUNT)).toHaveText(`${before + 1} ${before + 1 === 1 ? 'key' : 'keys'}`);
  await expect(page.getByRole('table').getByText(keyId)).toBeVisible();
});

test('the region switcher puts the region in the URL, and sections keep it', async ({ page }) => {
  await page.goto('/keys');
  await page.getByLabel('Region').selectOption('eu-west-1');
  await expect(page).toHaveURL(/[?&]region=eu-west-1/);
  await expect(page.getByText('KMS keys in eu-west-1')).toBeVisible();

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Usage & cost' }).click();
  await expect(page).toHaveURL(/\/usage\?region=eu-west-1$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Usage & cost' })).toBeVisible();
  await expect(page.getByLabel('Region')).toHaveValue('eu-west-1');

  for (const section of ['Playground', 'Audit', 'Settings']) {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
    await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
    await expect(page.getByRole('link', { name: section })).toHaveAttribute('aria-current', 'page');
  }
});

test('search engines are asked to stay out of the console (public/robots.txt), without a session', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const res = await context.request.get(`${baseURL}/robots.txt`, { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  expect(await res.text()).toMatch(/^User-agent: \*\nDisallow: \/$/m);
  await context.close();
});
