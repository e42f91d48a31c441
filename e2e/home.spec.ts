import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { expect, test, type Page } from '@playwright/test';

const KEY_COUNT = /(\d+) keys? in us-east-1/;

async function keyCount(page: Page): Promise<number> {
  const text = await page.getByText(KEY_COUNT).textContent();
  return Number(KEY_COUNT.exec(text ?? '')?.[1]);
}

test('the home page shows demo mode and the key count', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Keydeck — demo mode' })).toBeVisible();
  await expect(page.getByText('DEMO', { exact: true })).toBeVisible();
  await expect(page.getByText(KEY_COUNT)).toBeVisible();

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: testInfo.outputPath(`home-${colorScheme}.png`), fullPage: true });
  }
});

test('a key created through /api/kms shows up in the count', async ({ page, baseURL }) => {
  await page.goto('/');
  const before = await keyCount(page);

  const kms = new KMSClient({
    endpoint: `${baseURL}/api/kms`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const created = await kms.send(new CreateKeyCommand({ Description: 'e2e: home page count' }));
  expect(created.KeyMetadata?.KeyId).toBeTruthy();
  kms.destroy();

  await page.reload();
  await expect(page.getByText(KEY_COUNT)).toHaveText(new RegExp(`^${before + 1} keys? in us-east-1$`));
});
