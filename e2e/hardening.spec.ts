import fs from 'node:fs/promises';
import { CreateKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { expect, test, type Page } from '@playwright/test';

// eu-west-2 holds this spec's key (keys-inventory counts eu-west-1's); nothing else here changes what another spec looks at.
const REGION = 'eu-west-2';
const EVIL = 'http://evil.example';
const SHOTS = '/tmp/hardening-shots';

let keyId = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  // The AWS SDK sends no Origin: the emulator endpoint keeps serving it.
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  keyId = (await kms.send(new CreateKeyCommand({ Description: 'Hardening e2e' }))).KeyMetadata!.KeyId!;
  kms.destroy();
  await fs.mkdir(SHOTS, { recursive: true });
});

const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1];

/** Collects CSP violations: the browser's securitypolicyviolation events and its console reports. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCspViolation', (text: string) => void violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|create)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Waits until React has hydrated the page's heading: proof that its nonced scripts ran. */
async function hydrated(page: Page) {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.waitForFunction(() => {
    const h1 = document.querySelector('h1');
    return !!h1 && Object.keys(h1).some((k) => k.startsWith('__reactFiber'));
  });
}

test('pages and API answers carry the security headers, and every script the nonce', async ({ page, request }) => {
  const response = await page.goto(`/keys?region=${REGION}`);
  const headers = response!.headers();
  const csp = headers['content-security-policy'];
  const nonce = nonceOf(csp);
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "connect-src 'self'"]) expect(csp).toContain(directive);
  expect(csp).not.toContain('unsafe-eval');
  expect(headers).toMatchObject({
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
  });
  expect(headers['permissions-policy']).toContain('camera=()');
  // Plain http: no HSTS.
  expect(headers['strict-transport-security']).toBeUndefined();
  await hydrated(page);

  const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ src: s.src, nonce: s.nonce, inline: s.src === '' })));
  expect(scripts.length).toBeGreaterThan(3);
  expect(scripts.filter((s) => s.nonce !== nonce)).toEqual([]);
  // The theme script is inline and carries it too.
  expect(scripts.some((s) => s.inline)).toBe(true);

  // A fresh nonce per request.
  const again = await request.get(`/keys?region=${REGION}`);
  expect(nonceOf(again.headers()['content-security-policy'])).not.toBe(nonce);

  const api = await request.get(`/api/keys?region=${REGION}`, { headers: { 'x-forwarded-proto': 'https' } });
  expect(api.ok()).toBe(true);
  expect(api.headers()).toMatchObject({
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  });
  // A forged X-Forwarded-Proto earns no HSTS: it is believed only with KEYDECK_TRUST_PROXY.
  expect(api.headers()['strict-transport-security']).toBeUndefined();
});

test('the main pages load and work with no CSP violation', async ({ page }) => {
  // Seven pages, each loaded until React has hydrated it.
  test.setTimeout(120_000);
  const violations = await watchCsp(page);

  await page.goto(`/keys?region=${REGION}`);
  await hydrated(page);
  await page.screenshot({ path: `${SHOTS}/keys-light.png` });
  // Dark mode follows the system; the theme toggle then overrides it.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.screenshot({ path: `${SHOTS}/keys-dark.png` });
  const toggle = page.getByRole('button', { name: /^Theme: / });
  const next = /Switch to (\w+)/.exec((await toggle.getAttribute('aria-label')) ?? '')?.[1];
  await toggle.click();
  await expect(page.getByRole('button', { name: new RegExp(`^Theme: ${next}\\.`) })).toBeVisible();
  if (next === 'light') await expect(page.locator('html')).not.toHaveClass(/dark/);
  if (next === 'dark') await expect(page.locator('html')).toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: 'light' });

  // Key detail, with a Radix dialog (its scroll lock inserts a <style> element).
  await page.goto(`/keys/${keyId}?region=${REGION}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Schedule deletion' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.goto(`/keys/new?region=${REGION}`);
  await hydrated(page);

  // The policy editor: CodeMirror inserts its styles at run time.
  await page.goto(`/keys/${keyId}/policy?region=${REGION}`);
  await hydrated(page);
  await page.getByRole('tab', { name: 'Policy view' }).click();
  // The editor is a lazily loaded chunk ('Loading the JSON editor'), slow on a busy machine.
  await expect(page.getByRole('textbox', { name: 'Key policy JSON' })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/policy-light.png` });

  await page.goto(`/playground?region=${REGION}`);
  await hydrated(page);

  // Usage & cost: uPlot draws on a canvas and sizes it with inline styles.
  await page.goto(`/usage?region=${REGION}`);
  await hydrated(page);
  await page.screenshot({ path: `${SHOTS}/usage.png` });

  await page.goto('/settings');
  await hydrated(page);

  expect(violations).toEqual([]);
});

test('cross-origin writes are refused before they run; same-origin ones work', async ({ page, request, baseURL }) => {
  // A real server action, as the playground sends it.
  await page.goto(`/playground?region=${REGION}`);
  await hydrated(page);
  const [actionRequest] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined),
    page.getByRole('button', { name: 'Generate random' }).click(),
  ]);
  expect((await actionRequest.response())?.status()).toBe(200);
  const actionHeaders = await actionRequest.allHeaders();
  const action = {
    'next-action': actionHeaders['next-action'],
    'next-router-state-tree': actionHeaders['next-router-state-tree'] ?? '',
    accept: 'text/x-component',
    'content-type': actionHeaders['content-type'] ?? 'text/plain;charset=UTF-8',
  };
  const body = actionRequest.postData() ?? '';
  const url = new URL(actionRequest.url()).pathname + new URL(actionRequest.url()).search;

  // The same request from the console's own origin runs …
  const same = await request.post(url, { headers: { ...action, origin: baseURL! }, data: body });
  expect(same.status()).toBe(200);
  // … and from another site is refused with AWS's AccessDeniedException, as is one that only Fetch Metadata marks.
  const forged: Record<string, string>[] = [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }];
  for (const extra of forged) {
    const refused = await request.post(url, { headers: { ...action, ...extra }, data: body });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ __type: 'AccessDeniedException' });
  }

  // The emulator endpoint: a browser from elsewhere is refused; the SDK (no Origin) is served.
  const kmsHeaders = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' };
  const crossKms = await request.post('/api/kms', { headers: { ...kmsHeaders, origin: EVIL }, data: '{}' });
  expect(crossKms.status()).toBe(403);
  expect(await crossKms.json()).toMatchObject({ __type: 'AccessDeniedException' });
  const kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const listed = await kms.send(new ListKeysCommand({}));
  expect(listed.Keys?.map((k) => k.KeyId)).toContain(keyId);
  kms.destroy();
});

test('oversized bodies are refused', async ({ page, request, baseURL }) => {
  // /api/kms: over 1 MiB, declared or streamed.
  const big = 'x'.repeat((1 << 20) + 1);
  const kmsHeaders = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' };
  const tooBig = await request.post('/api/kms', { headers: kmsHeaders, data: big });
  expect(tooBig.status()).toBe(413);
  expect(await tooBig.json()).toEqual({ __type: 'ValidationException', message: 'Request body is too large (the limit is 1048576 bytes).' });

  // A server action over 256 KB: refused before the action runs.
  await page.goto(`/playground?region=${REGION}`);
  await hydrated(page);
  const [actionRequest] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined),
    page.getByRole('button', { name: 'Generate random' }).click(),
  ]);
  const headers = await actionRequest.allHeaders();
  const padded = await request.post(new URL(actionRequest.url()).pathname, {
    headers: { 'next-action': headers['next-action'], accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8', origin: baseURL! },
    data: JSON.stringify([{ region: REGION, numberOfBytes: 32, padding: 'x'.repeat(300 * 1024) }]),
  });
  expect(padded.status()).toBe(413);
  expect(await padded.json()).toMatchObject({ __type: 'ValidationException', message: 'Request body is too large (the limit is 262144 bytes).' });
});
