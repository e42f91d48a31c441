/**
 * Each role can do what it may and gets a clear refusal for what it may not, also when the server action or
 * route handler is called directly with a forged request. Table-driven from the code itself: every
 * `defineAction` of app/**\/actions.ts (with the id the build gave it) and every `withRole` route handler of
 * app/api, so an action or route added later is covered without touching this spec.
 */
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListKeyRotationsCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { expect as baseExpect, request as playwrightRequest, test } from '@playwright/test';
import { actionResult, actionRoles, builtActions, forgeAction, routeRoles, SIGNED_OUT, stateOf, type BuiltAction } from './forge';

const expect = baseExpect.configure({ timeout: 15_000 });
// eu-west-2 is shared with other specs that count nothing in it; the key and alias names are this spec's own.
const REGION = 'eu-west-2';
const ROLES = ['viewer', 'operator', 'admin'] as const;
type Role = (typeof ROLES)[number];
const below = (role: Role) => ROLES.slice(0, ROLES.indexOf(role));
const NAMES: Record<Role, string> = { viewer: 'Vera Viewer', operator: 'Otto Operator', admin: 'Ada Admin' };

let kms: KMSClient;
let keyId = '';
let account = '';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ baseURL }) => {
  kms = new KMSClient({ endpoint: `${baseURL}/api/kms`, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const key = (await kms.send(new CreateKeyCommand({ Description: 'e2e roles' }))).KeyMetadata!;
  keyId = key.KeyId!;
  account = key.AWSAccountId!;
  await kms.send(new CreateAliasCommand({ AliasName: 'alias/e2e-roles/key', TargetKeyId: keyId }));
});

test.afterAll(() => kms.destroy());

/** The dynamic segments of the pages that load the actions, and of the API routes. */
const params = () => ({ keyId, scenario: 'key-policy-basics', eventId: 'no-such-event' });

/** Every defineAction of the sources, with its least role and the id the build gave it. */
function actionTable(): (BuiltAction & { role: Role })[] {
  const built = builtActions();
  return [...actionRoles()].map(([where, { exportedName, role }]) => {
    const filename = where.slice(0, where.indexOf('#'));
    const action = built.find((b) => b.exportedName === exportedName && b.filename === filename);
    if (!action) throw new Error(`${where} is not in the build's server reference manifest (rebuild?)`);
    return { ...action, role };
  });
}

test('every server action refuses a forged call from no session and from each role below its own', async ({ baseURL }) => {
  const table = actionTable();
  // The sign-in actions are the only ones without defineAction; everything else is here.
  expect(table.length).toBeGreaterThanOrEqual(35);
  const refusals: string[] = [];
  for (const action of table) {
    // Valid-looking input: a refusal must come from the role check, not from the input's parsing.
    const args = [{ region: REGION, keyId, account }];
    const anonymous = actionResult(await forgeAction(baseURL!, SIGNED_OUT, action, args, params()));
    expect(anonymous?.error, `${action.exportedName} without a session`).toEqual({ name: 'UnauthenticatedException', message: 'Sign in to Keydeck first.' });
    for (const role of below(action.role)) {
      const result = actionResult(await forgeAction(baseURL!, stateOf(role), action, args, params()));
      expect(result?.ok, `${action.exportedName} as ${role}`).toBe(false);
      expect(result?.error?.name, `${action.exportedName} as ${role}`).toBe('AccessDeniedException');
      expect(result?.error?.message, `${action.exportedName} as ${role}`).toContain(`This needs the ${action.role} role; ${NAMES[role]} is a${role === 'admin' ? 'n' : ''} ${role}.`);
      refusals.push(`${action.exportedName}/${role}`);
    }
  }
  // Nothing was changed by the refused calls: the key is still enabled, with no deletion scheduled.
  expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('Enabled');
  console.log(`forged ${table.length} actions signed out and ${refusals.length} below their role`);
});

test('every route handler answers 401 without a session and 403 to each role below its own, and serves its own role', async ({ baseURL }) => {
  const routes = routeRoles();
  expect(routes.length).toBeGreaterThanOrEqual(20);
  const url = (route: string) => `${route.replace(/\[(\w+)\]/g, (_, name: keyof ReturnType<typeof params>) => encodeURIComponent(params()[name]))}?region=${REGION}`;
  const call = async (state: string | typeof SIGNED_OUT, method: string, route: string) => {
    const context = await playwrightRequest.newContext({ baseURL, storageState: state });
    const response = await context.fetch(url(route), { method, maxRedirects: 0 });
    const result = { status: response.status(), body: await response.text() };
    await context.dispose();
    return result;
  };
  for (const { method, route, role } of routes) {
    const anonymous = await call(SIGNED_OUT, method, route);
    expect(anonymous.status, `${method} ${route} signed out`).toBe(401);
    expect(JSON.parse(anonymous.body), `${method} ${route} signed out`).toEqual({ __type: 'UnauthenticatedException', message: 'Sign in to Keydeck first.' });
    for (const lower of below(role)) {
      const refused = await call(stateOf(lower), method, route);
      expect(refused.status, `${method} ${route} as ${lower}`).toBe(403);
      expect(JSON.parse(refused.body).__type, `${method} ${route} as ${lower}`).toBe('AccessDeniedException');
    }
    // Its own role passes the guard (the handler may still find the input wanting: a 4xx of its own, never 401/403).
    const allowed = await call(stateOf(role), method, route);
    expect([401, 403], `${method} ${route} as ${role}`).not.toContain(allowed.status);
    expect(allowed.status, `${method} ${route} as ${role}`).toBeLessThan(500);
  }
});

test('the operator may rotate, alias, tag, grant and encrypt, also calling the actions directly', async ({ baseURL }) => {
  const table = actionTable();
  const action = (name: string) => table.find((a) => a.exportedName === name)!;
  const asOperator = async (name: string, input: Record<string, unknown>) => {
    const result = actionResult(await forgeAction(baseURL!, stateOf('operator'), action(name), [{ region: REGION, account, ...input }], params()));
    expect(result, `${name}: ${JSON.stringify(result?.error)}`).toMatchObject({ ok: true });
    return result!.data as Record<string, unknown>;
  };

  await asOperator('rotateKeyNowAction', { keyId });
  expect((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations).toHaveLength(1);

  await asOperator('createAliasAction', { keyId, aliasName: 'alias/e2e-roles/operator' });
  expect((await kms.send(new ListAliasesCommand({ KeyId: keyId }))).Aliases!.map((a) => a.AliasName)).toContain('alias/e2e-roles/operator');

  await asOperator('putTagAction', { keyId, key: 'team', value: 'operators' });
  expect((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toContainEqual({ TagKey: 'team', TagValue: 'operators' });

  await asOperator('createGrantAction', { keyId, granteePrincipal: `arn:aws:iam::${account}:role/e2e-roles-app`, operations: ['Decrypt'], name: 'e2e-roles' });
  expect((await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants!.map((g) => g.Name)).toContain('e2e-roles');

  const plaintext = Buffer.from('operators may encrypt').toString('base64');
  const encrypted = await asOperator('encryptAction', { keyId, plaintext });
  const blob = (encrypted.response as { CiphertextBlob: string }).CiphertextBlob;
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob, 'base64') }));
  expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('operators may encrypt');
});

test('/audit shows a refused forged call and a sign-in, from the address the client could not forge', async ({ page, browser, baseURL }) => {
  // A sign-in whose requests all claim another address.
  const forged = await browser.newContext({ baseURL, storageState: SIGNED_OUT, extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.99' } });
  const signInPage = await forged.newPage();
  await signInPage.goto('/signin');
  await signInPage.getByRole('button', { name: 'Sign in as Vera Viewer' }).click();
  await expect(signInPage).toHaveURL(/\/keys$/);
  await forged.close();

  const table = page.getByRole('table', { name: 'Audit log' });
  const rows = table.getByRole('row').filter({ has: page.getByRole('button', { name: /entry \d+/ }) });

  await page.goto('/audit?action=SignIn');
  await expect(rows.first()).toContainText('SignIn');
  await expect(rows.first()).toContainText('Vera Viewer');
  await expect(rows.first()).toContainText('127.0.0.1');
  await expect(table).not.toContainText('203.0.113.99');

  // The operator's forged ScheduleKeyDeletion of the first test, refused.
  await page.goto('/audit?action=ScheduleKeyDeletion&outcome=denied');
  await expect(rows.first()).toContainText('ScheduleKeyDeletion');
  await expect(rows.first()).toContainText('denied');
  await expect(rows.first()).toContainText('AccessDeniedException');
  await expect(table).toContainText('Otto Operator');
  await expect(table).toContainText('Vera Viewer');
});
