/**
 * Sign-in and roles, end to end: signed-out users go to sign-in from every page and come back after it;
 * each role sees what it may not do disabled, and the server refuses it anyway (forged server-action and
 * route-handler calls); sign-out everywhere; local-account lockout. The signed-in states come from
 * e2e/auth.setup.ts.
 */
import fs from 'node:fs';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { axeScan } from './axe';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { NAV_ITEMS } from '../components/shell/nav-items';
import { replay, SIGNED_OUT, stateOf } from './forge';

// Sign-ins and key pages take seconds when the machine is busy.
const expect = baseExpect.configure({ timeout: 15_000 });
const REGION = 'eu-west-2';
const SHOTS = '/tmp/auth-shots';

let kms: KMSClient;
const keys = { toggle: '', doomed: '' };

// Each test loads several pages and signs in: more than the default 30 s on a busy 2-core machine.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async ({ baseURL }) => {
  kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  for (const name of ['toggle', 'doomed'] as const) {
    keys[name] = (await kms.send(new CreateKeyCommand({ Description: `e2e auth ${name}` }))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: `alias/e2e-auth/${name}`, TargetKeyId: keys[name] }));
  }
});

test.afterAll(() => kms.destroy());

const keyPath = (name: keyof typeof keys) => `/keys/${keys[name]}?region=${REGION}`;
const keyState = async (name: keyof typeof keys) => (await kms.send(new DescribeKeyCommand({ KeyId: keys[name] }))).KeyMetadata!.KeyState;

async function openKey(page: Page, name: keyof typeof keys) {
  await page.goto(keyPath(name));
  await expect(page.getByRole('heading', { level: 1, name: `alias/e2e-auth/${name}` })).toBeVisible();
  await page.waitForLoadState('networkidle');
}

/** The next server-action POST the page sends (its Next-Action header names the action). */
const nextActionRequest = (page: Page) => page.waitForRequest((r) => r.method() === 'POST' && !!r.headers()['next-action']);

test.describe('signed out', () => {
  test.use({ storageState: SIGNED_OUT });

  test('every console page sends to sign-in, which comes back to the page; the API answers 401', async ({ page, request, baseURL }) => {
    const pages = [
      ...NAV_ITEMS.map((item) => `${item.href}?region=${REGION}`),
      keyPath('toggle'),
      `/keys/${keys.toggle}/policy?region=${REGION}`,
      `/keys/new?region=${REGION}`,
      '/learn/key-policy-basics',
      `/usage/unused?region=${REGION}`,
    ];
    for (const target of pages) {
      const response = await request.get(target, { maxRedirects: 0 });
      expect(response.status(), target).toBe(307);
      const location = new URL(response.headers().location, baseURL);
      expect(`${location.pathname}${location.search}`, target).toBe(`/signin?next=${encodeURIComponent(target)}`);
    }

    const api = await request.get(`/api/keys?region=${REGION}`);
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({ __type: 'UnauthenticatedException', message: 'Sign in to Keydeck first.' });

    // A cookie that names no session passes the proxy's quick look; the console layout checks it for real.
    await page.context().addCookies([{ name: 'keydeck_session', value: 'x'.repeat(43), url: baseURL! }]);
    await page.goto(`/usage?region=${REGION}`);
    await expect(page).toHaveURL(`/signin?next=${encodeURIComponent(`/usage?region=${REGION}`)}`);
    await page.goto(`/signin?next=${encodeURIComponent('//evil.example/keys')}`);
    await expect(page.getByRole('heading', { name: 'Sign in to Keydeck' })).toBeVisible();

    // The page, accessible and looked at in both themes.
    const axe = await axeScan(page);
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/signin-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/signin-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // An off-site next= is dropped: the sign-in lands on the inventory.
    await page.getByRole('button', { name: 'Sign in as Vera Viewer' }).click();
    await expect(page).toHaveURL(/\/keys$/);

    // Signed out again, a key's page comes back after sign-in.
    await page.context().clearCookies();
    await page.goto(keyPath('toggle'));
    await expect(page).toHaveURL(`/signin?next=${encodeURIComponent(keyPath('toggle'))}`);
    await page.getByRole('button', { name: 'Sign in as Vera Viewer' }).click();
    await expect(page).toHaveURL(keyPath('toggle'));
    await expect(page.getByRole('heading', { level: 1, name: 'alias/e2e-auth/toggle' })).toBeVisible();
  });
});

test('the server refuses forged server-action calls of a role too low, whatever the buttons say', async ({ page, baseURL }) => {
  // As the admin: disable then enable one key, schedule the other's deletion, capturing the action calls.
  await openKey(page, 'toggle');
  const disableCall = nextActionRequest(page);
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  const disable = await disableCall;
  await expect(page.getByText('Key disabled', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(page.getByText('Key enabled', { exact: true })).toBeVisible();

  await openKey(page, 'doomed');
  await page.getByRole('button', { name: 'Schedule deletion' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Type the key ID or an alias to confirm').fill('alias/e2e-auth/doomed');
  const scheduleCall = nextActionRequest(page);
  await dialog.getByRole('button', { name: 'Schedule deletion' }).click();
  const schedule = await scheduleCall;
  await expect.poll(() => keyState('doomed')).toBe('PendingDeletion');

  // The viewer's replay of Disable is refused, and the key stays enabled; so is a call with no session.
  expect(await replay(disable, baseURL!, stateOf('viewer'))).toContain('AccessDeniedException');
  expect(await replay(disable, baseURL!, SIGNED_OUT)).toContain('UnauthenticatedException');
  expect(await keyState('toggle')).toBe('Enabled');
  // The operator may not schedule deletion: refused before KMS is asked (which would have said KMSInvalidStateException).
  const operatorReplay = await replay(schedule, baseURL!, stateOf('operator'));
  expect(operatorReplay).toContain('AccessDeniedException');
  expect(operatorReplay).toContain('This needs the admin role');
});

test.describe('as the viewer', () => {
  test.use({ storageState: stateOf('viewer') });

  test('mutation buttons are disabled with the role they need; operator routes answer 403', async ({ page, request }) => {
    await openKey(page, 'toggle');
    const disable = page.getByRole('button', { name: 'Disable', exact: true });
    await expect(disable).toBeDisabled();
    await expect(disable).toHaveAccessibleDescription('Needs the operator role');
    await expect(page.getByRole('button', { name: 'Schedule deletion' })).toHaveAccessibleDescription('Needs the admin role');
    await page.getByRole('button', { name: /Vera Viewer/ }).click();
    await expect(page.getByRole('group', { name: 'Account' })).toContainText('Viewer · demo persona');
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/key-viewer-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/key-viewer-dark.png` });

    await page.goto(`/keys?region=${REGION}`);
    await expect(page.getByRole('button', { name: 'Create key' })).toHaveAccessibleDescription('Needs the admin role');

    const forbidden = await request.get(`/api/playground/event?region=${REGION}&eventName=Encrypt&requestId=x&since=1`);
    expect(forbidden.status()).toBe(403);
    expect((await forbidden.json()).__type).toBe('AccessDeniedException');
    expect((await request.get(`/api/keys?region=${REGION}`)).status()).toBe(200);
  });
});

test.describe('as the operator', () => {
  test.use({ storageState: stateOf('operator') });

  test('can disable and enable a key but not schedule its deletion', async ({ page }) => {
    await openKey(page, 'toggle');
    await expect(page.getByRole('button', { name: 'Schedule deletion' })).toBeDisabled();
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await expect(page.getByText('Key disabled', { exact: true })).toBeVisible();
    expect(await keyState('toggle')).toBe('Disabled');
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await expect(page.getByText('Key enabled', { exact: true })).toBeVisible();
    expect(await keyState('toggle')).toBe('Enabled');
  });
});

test.describe('a local account', () => {
  test.use({ storageState: SIGNED_OUT });

  // Next's route announcer is an (empty) alert too.
  const signInError = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ });

  async function signInLocal(page: Page, password: string) {
    await page.goto('/signin');
    await page.getByLabel('User name').fill('locky');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  test('signs out everywhere, then locks after five wrong passwords', async ({ page, browser, baseURL }) => {
    // locky was made with `npm run users` in the setup. Two browsers signed in:
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    await signInLocal(otherPage, 'locky the local user');
    await expect(otherPage).toHaveURL(/\/keys$/);
    await signInLocal(page, 'locky the local user');
    await expect(page).toHaveURL(/\/keys$/);
    await page.getByRole('button', { name: /locky/ }).click();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await otherPage.goto(`/usage?region=${REGION}`);
    await expect(otherPage).toHaveURL(/\/signin\?next=/);
    await other.close();

    for (let i = 1; i <= 4; i++) {
      await signInLocal(page, `wrong password ${i}!`);
      await expect(signInError(page)).toHaveText('Wrong user name or password.');
    }
    await signInLocal(page, 'wrong password 5!');
    await expect(signInError(page)).toContainText(/this account is locked until \d\d:\d\d UTC/);
    // Locked: the right password is refused too.
    await signInLocal(page, 'locky the local user');
    await expect(signInError(page)).toContainText('locked until');
    // The same answer for a user who does not exist as for a wrong password.
    await page.getByLabel('User name').fill('nobody-here');
    await page.getByLabel('Password').fill('whatever password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(signInError(page)).toHaveText('Wrong user name or password.');
  });
});
