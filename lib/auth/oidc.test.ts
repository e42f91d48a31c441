import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcTestProvider, TEST_CLIENT, TEST_PUBLIC_CLIENT, TEST_USERS, type OidcTestProvider } from '@/scripts/oidc-test-provider';
import { DEFAULT_AFTER_SIGN_IN } from './next-path';
import { parseOidcConfig, type OidcConfig } from './oidc-config';
import { beginOidcSignIn, completeOidcSignIn, OIDC_STATE_MAX_AGE, OidcSignInError, openState, redirectUriFor, sealState, stateKey, type OidcFlow } from './oidc';

// The console is never started here: the callback URL the provider redirects to is captured, not fetched.
const CONSOLE = 'http://127.0.0.1:3999';
const REDIRECT_URI = `${CONSOLE}/api/auth/oidc/callback`;

let provider: OidcTestProvider;
let idTokenProvider: OidcTestProvider;
const key = crypto.randomBytes(32);

beforeAll(async () => {
  [provider, idTokenProvider] = await Promise.all([
    startOidcTestProvider({ redirectUris: [REDIRECT_URI] }),
    startOidcTestProvider({ redirectUris: [REDIRECT_URI], claimsInIdToken: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([provider?.close(), idTokenProvider?.close()]);
});

function configFor(issuer: string, extra: Record<string, string> = {}): OidcConfig {
  const config = parseOidcConfig({
    KEYDECK_OIDC_ISSUER: issuer,
    KEYDECK_OIDC_CLIENT_ID: TEST_CLIENT.id,
    KEYDECK_OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
    KEYDECK_OIDC_SCOPES: 'openid profile email groups',
    KEYDECK_OIDC_ROLE_MAP: 'keydeck-admins=admin,keydeck-operators=operator,staff=viewer',
    ...extra,
  });
  if (!config) throw new Error('not configured');
  return config;
}

/** A browser at the provider: follows redirects, keeps its cookies, fills the login form and allows the consent. */
async function logInAtProvider(authorizationUrl: URL, login: string, password: string, opts: { cancel?: boolean } = {}): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl.toString();
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }) },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    if (response.status >= 300 && response.status < 400) {
      const next = new URL(response.headers.get('location') ?? '', url);
      if (next.toString().startsWith(REDIRECT_URI)) return next;
      url = next.toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    expect(response.status, html).toBe(200);
    const uid = /action="\/interaction\/([\w-]+)\//.exec(html)?.[1];
    if (!uid) throw new Error(`no form at ${url}`);
    method = 'POST';
    if (opts.cancel) {
      url = new URL(`/interaction/${uid}/abort`, url).toString();
      body = '';
    } else if (html.includes('name="password"')) {
      if (html.includes('Wrong username or password')) throw new Error(`the provider refused ${login}`);
      url = new URL(`/interaction/${uid}/login`, url).toString();
      body = new URLSearchParams({ login, password }).toString();
    } else {
      expect(html).toContain('Allow access');
      url = new URL(`/interaction/${uid}/confirm`, url).toString();
      body = '';
    }
  }
  throw new Error('too many steps at the provider');
}

async function signInAs(flow: OidcFlow, login: string, next = '/keys') {
  const started = await beginOidcSignIn(flow, { redirectUri: REDIRECT_URI, next });
  const callbackUrl = await logInAtProvider(started.url, login, TEST_USERS[login].password);
  return { started, callbackUrl, complete: () => completeOidcSignIn(flow, { callbackUrl, cookie: started.cookie }) };
}

async function refusal(promise: Promise<unknown>): Promise<OidcSignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcSignInError);
  return error as OidcSignInError;
}

describe('OIDC sign-in against a local provider (authorization code + PKCE)', () => {
  it('asks for a code with PKCE S256, state, nonce and the configured scopes', async () => {
    const { url } = await beginOidcSignIn({ config: configFor(provider.issuer), key }, { redirectUri: REDIRECT_URI, next: '/keys' });
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid profile email groups');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
  });

  it('signs alice in as admin and oscar as operator, from the groups in userinfo', async () => {
    const flow = { config: configFor(provider.issuer), key };
    const before = provider.userinfoRequests;
    const alice = await (await signInAs(flow, 'alice', '/keys?region=eu-west-1')).complete();
    expect(alice).toEqual({
      identity: { provider: 'oidc', subject: `${provider.issuer}#alice`, name: 'Alice Admin', email: 'alice@example.test', role: 'admin', accounts: null },
      next: '/keys?region=eu-west-1',
    });
    const oscar = await (await signInAs(flow, 'oscar')).complete();
    expect(oscar.identity).toMatchObject({ subject: `${provider.issuer}#oscar`, name: 'Oscar Operator', role: 'operator', accounts: null });
    // This provider keeps the code flow's ID token lean (sub only), so the groups came from userinfo.
    expect(provider.userinfoRequests - before).toBe(2);
  });

  it('reads the groups from the ID token when they are there, without calling userinfo', async () => {
    const before = idTokenProvider.userinfoRequests;
    const { identity } = await (await signInAs({ config: configFor(idTokenProvider.issuer), key }, 'oscar')).complete();
    expect(identity).toMatchObject({ role: 'operator', email: 'oscar@example.test' });
    expect(idTokenProvider.userinfoRequests).toBe(before);
  });

  it('scopes users to the accounts of their groups', async () => {
    const flow = { config: configFor(provider.issuer, { KEYDECK_OIDC_ACCOUNTS_MAP: 'keydeck-admins=*,keydeck-operators=prod|staging' }), key };
    expect((await (await signInAs(flow, 'alice')).complete()).identity.accounts).toBeNull();
    expect((await (await signInAs(flow, 'oscar')).complete()).identity.accounts).toEqual(['prod', 'staging']);
    const onlyStaff = { config: configFor(provider.issuer, { KEYDECK_OIDC_ACCOUNTS_MAP: 'keydeck-admins=prod' }), key };
    expect((await refusal((await signInAs(onlyStaff, 'oscar')).complete())).code).toBe('oidc_no_accounts');
  });

  it('refuses a user in no mapped group, unless a default role is set', async () => {
    expect((await refusal((await signInAs({ config: configFor(provider.issuer), key }, 'nobody')).complete())).code).toBe('oidc_no_role');
    const withDefault = { config: configFor(provider.issuer, { KEYDECK_OIDC_DEFAULT_ROLE: 'viewer' }), key };
    expect((await (await signInAs(withDefault, 'nobody')).complete()).identity).toMatchObject({ role: 'viewer', name: 'Nora Nobody' });
  });

  it('signs in as a public client (no secret, PKCE only)', async () => {
    const config = configFor(provider.issuer, { KEYDECK_OIDC_CLIENT_ID: TEST_PUBLIC_CLIENT.id, KEYDECK_OIDC_CLIENT_SECRET: '' });
    expect(config.clientSecret).toBeUndefined();
    expect((await (await signInAs({ config, key }, 'alice')).complete()).identity.role).toBe('admin');
  });

  it('refuses a tampered, missing, foreign or expired state cookie, and a state that does not match', async () => {
    const flow = { config: configFor(provider.issuer), key };
    const { started, callbackUrl } = await signInAs(flow, 'alice');
    const raw = Buffer.from(started.cookie, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect((await refusal(completeOidcSignIn(flow, { callbackUrl, cookie: raw.toString('base64url') }))).code).toBe('oidc_state');
    expect((await refusal(completeOidcSignIn(flow, { callbackUrl, cookie: undefined }))).code).toBe('oidc_state');
    expect((await refusal(completeOidcSignIn({ ...flow, key: crypto.randomBytes(32) }, { callbackUrl, cookie: started.cookie }))).code).toBe('oidc_state');
    expect((await refusal(completeOidcSignIn({ ...flow, now: Math.floor(Date.now() / 1000) + OIDC_STATE_MAX_AGE + 1 }, { callbackUrl, cookie: started.cookie }))).code).toBe('oidc_state');
    const otherState = new URL(callbackUrl);
    otherState.searchParams.set('state', 'x'.repeat(43));
    expect((await refusal(completeOidcSignIn(flow, { callbackUrl: otherState, cookie: started.cookie }))).code).toBe('oidc_state');
    // Another browser's sign-in: its own cookie, this browser's callback.
    const other = await beginOidcSignIn(flow, { redirectUri: REDIRECT_URI });
    expect((await refusal(completeOidcSignIn(flow, { callbackUrl, cookie: other.cookie }))).code).toBe('oidc_state');
    // None of these used the code: the real pair still signs in.
    expect((await completeOidcSignIn(flow, { callbackUrl, cookie: started.cookie })).identity.role).toBe('admin');
  });

  it('refuses a replayed callback: the code is single-use', async () => {
    const flow = { config: configFor(provider.issuer), key };
    const { started, callbackUrl, complete } = await signInAs(flow, 'oscar');
    expect((await complete()).identity.role).toBe('operator');
    const replay = await refusal(completeOidcSignIn(flow, { callbackUrl, cookie: started.cookie }));
    expect([replay.code, replay.detail]).toEqual(['oidc_failed', expect.stringMatching(/^invalid_grant/)]);
  });

  it('refuses an ID token whose nonce is not this sign-in’s', async () => {
    const flow = { config: configFor(provider.issuer), key };
    const { started, callbackUrl } = await signInAs(flow, 'alice');
    // The right state and PKCE verifier, another nonce: the code exchange succeeds, the ID token check does not.
    const state = openState(key, started.cookie, Math.floor(Date.now() / 1000));
    const forged = sealState(key, { ...state, nonce: 'n'.repeat(43) });
    const refused = await refusal(completeOidcSignIn(flow, { callbackUrl, cookie: forged }));
    expect([refused.code, refused.detail]).toEqual(['oidc_failed', expect.stringContaining('"nonce"')]);
  });

  it('reports a cancelled sign-in as denied', async () => {
    const flow = { config: configFor(provider.issuer), key };
    const started = await beginOidcSignIn(flow, { redirectUri: REDIRECT_URI });
    const callbackUrl = await logInAtProvider(started.url, 'alice', 'unused', { cancel: true });
    expect(callbackUrl.searchParams.get('error')).toBe('access_denied');
    expect((await refusal(completeOidcSignIn(flow, { callbackUrl, cookie: started.cookie }))).code).toBe('oidc_denied');
  });

  it('reports an unreachable provider as unavailable', async () => {
    const closed = await startOidcTestProvider({ redirectUris: [REDIRECT_URI] });
    await closed.close();
    expect((await refusal(beginOidcSignIn({ config: configFor(closed.issuer), key }, { redirectUri: REDIRECT_URI }))).code).toBe('oidc_unavailable');
  });

  it('returns only to same-site paths', async () => {
    const flow = { config: configFor(provider.issuer), key };
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect((await (await signInAs(flow, 'oscar', next)).complete()).next).toBe(DEFAULT_AFTER_SIGN_IN);
    }
  });
});

describe('stateKey', () => {
  it('makes a 256-bit key file with mode 0600 once, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-oidc-'));
    try {
      const first = stateKey({}, path.join(dir, 'data'));
      expect(first).toHaveLength(32);
      expect(fs.statSync(path.join(dir, 'data', 'oidc-state.key')).mode & 0o777).toBe(0o600);
      expect(stateKey({}, path.join(dir, 'data')).equals(first)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives the key from KEYDECK_SESSION_SECRET when set, the same on every instance', () => {
    const secret = 's'.repeat(40);
    expect(stateKey({ sessionSecret: secret }, '/nonexistent').equals(stateKey({ sessionSecret: secret }, '/elsewhere'))).toBe(true);
    expect(stateKey({ sessionSecret: secret }, '/x').equals(stateKey({ sessionSecret: 't'.repeat(40) }, '/x'))).toBe(false);
  });
});

describe('redirectUriFor', () => {
  it('uses KEYDECK_PUBLIC_URL behind a proxy, else the request’s origin', () => {
    expect(redirectUriFor({ publicUrl: 'https://keydeck.example.com' }, 'http://10.0.0.5:3000/api/auth/oidc/start')).toBe('https://keydeck.example.com/api/auth/oidc/callback');
    expect(redirectUriFor({}, 'http://127.0.0.1:3100/api/auth/oidc/start?next=/keys')).toBe('http://127.0.0.1:3100/api/auth/oidc/callback');
  });
});
