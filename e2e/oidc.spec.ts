import { expect, test, type Page } from '@playwright/test';

// The users of scripts/oidc-test-provider.ts (started by playwright.config.ts); the demo console maps
// keydeck-admins → admin and keydeck-operators → operator.
const USERS = {
  alice: { password: 'alice-password', name: 'Alice Admin' },
  oscar: { password: 'oscar-password', name: 'Oscar Operator' },
  nobody: { password: 'nobody-password', name: 'Nora Nobody' },
};

// Signed out: this spec signs in through the provider itself. Each test is a fresh browser (no console or
// provider session); a provider round trip is a handful of page loads, slow on a busy machine.
test.use({ storageState: { cookies: [], origins: [] } });
test.describe.configure({ timeout: 90_000 });

async function signedInAs(page: Page) {
  const me = await page.request.get('/api/auth/me');
  return { status: me.status(), body: (await me.json()) as Record<string, unknown> };
}

async function logInAtProvider(page: Page, login: keyof typeof USERS) {
  await expect(page.getByRole('heading', { name: 'Sign in to the test provider' })).toBeVisible();
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(USERS[login].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
}

test('alice, in keydeck-admins, signs in with OpenID Connect as admin; her callback cannot be replayed', async ({ page, context, baseURL }) => {
  expect(await signedInAs(page)).toEqual({ status: 401, body: { __type: 'UnauthenticatedException', message: 'Sign in to Keydeck first.' } });
  const callbacks: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/auth/oidc/callback')) callbacks.push(request.url());
  });

  // Signed out, /keys leads to the sign-in page (/keys is where it returns anyway), whose single sign-on button starts the flow.
  await page.goto('/keys');
  await expect(page).toHaveURL(/\/signin$/);
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to the test provider' })).toBeVisible();
  const stateCookie = (await context.cookies(baseURL)).find((c) => c.name === 'keydeck_oidc');
  expect(stateCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(stateCookie?.expires ?? 0).toBeLessThanOrEqual(Date.now() / 1000 + 601);
  await logInAtProvider(page, 'alice');
  await expect(page).toHaveURL(/\/keys$/);
  expect(await signedInAs(page)).toEqual({
    status: 200,
    body: { id: expect.any(String), name: 'Alice Admin', email: 'alice@example.test', role: 'admin', provider: 'oidc', accounts: null },
  });
  const cookies = await context.cookies(baseURL);
  expect(cookies.find((c) => c.name === 'keydeck_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  expect(cookies.find((c) => c.name === 'keydeck_oidc'), 'the state cookie is used once').toBeUndefined();

  // Her callback URL again (from the history, say) in a browser without her state cookie: refused.
  await context.clearCookies();
  expect(callbacks).toHaveLength(1);
  await page.goto(callbacks[0]);
  await expect(page).toHaveURL(/\/signin\?error=oidc_state$/);
  expect((await signedInAs(page)).status).toBe(401);
});

test('oscar, in keydeck-operators, signs in as operator', async ({ page }) => {
  await page.goto('/api/auth/oidc/start?next=/usage');
  await logInAtProvider(page, 'oscar');
  await expect(page).toHaveURL(/\/usage$/);
  expect((await signedInAs(page)).body).toMatchObject({ name: 'Oscar Operator', role: 'operator', provider: 'oidc' });
});

test('nobody, in no mapped group, is refused and sent back to sign-in', async ({ page }) => {
  await page.goto('/api/auth/oidc/start?next=/keys');
  await logInAtProvider(page, 'nobody');
  await expect(page).toHaveURL(/\/signin\?error=oidc_no_role$/);
  // Next's route announcer is a role="alert" region too: pick the sign-in page's message by its text.
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(/none of your groups gives access to Keydeck/);
  expect((await signedInAs(page)).status).toBe(401);
});
