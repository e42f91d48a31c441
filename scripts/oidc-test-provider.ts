/**
 * A small OpenID Connect provider for Keydeck's tests, built on oidc-provider (panva, OpenID certified): the
 * console as its client, a few users with groups, and a plain login and consent form.
 *
 *   npx tsx scripts/oidc-test-provider.ts --port 4400 --redirect-uri http://127.0.0.1:3100/api/auth/oidc/callback
 *
 * Tests start it in-process with `startOidcTestProvider`. Never for production: users and passwords are below.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import Provider, { type InteractionDetails } from 'oidc-provider';

export interface TestUser {
  name: string;
  email: string;
  password: string;
  groups: string[];
}

/** The provider's users: their login is the key. */
export const TEST_USERS: Record<string, TestUser> = {
  alice: { name: 'Alice Admin', email: 'alice@example.test', password: 'alice-password', groups: ['keydeck-admins', 'staff'] },
  oscar: { name: 'Oscar Operator', email: 'oscar@example.test', password: 'oscar-password', groups: ['keydeck-operators', 'staff'] },
  nobody: { name: 'Nora Nobody', email: 'nobody@example.test', password: 'nobody-password', groups: [] },
};

/** The console as a confidential client, and as a public one (PKCE, no secret). */
export const TEST_CLIENT = { id: 'keydeck', secret: 'keydeck-test-secret' } as const;
export const TEST_PUBLIC_CLIENT = { id: 'keydeck-public' } as const;

export interface OidcTestProvider {
  issuer: string;
  /** How many userinfo requests it answered (the console asks only when the ID token lacks the groups). */
  readonly userinfoRequests: number;
  close(): Promise<void>;
}

export interface OidcTestProviderOptions {
  port?: number;
  host?: string;
  redirectUris: string[];
  /** Put the profile, email and groups claims in the ID token too (by default only userinfo has them in the code flow). */
  claimsInIdToken?: boolean;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – Test identity provider</title>
<style>body{font:15px system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}
input{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.4rem .9rem}.error{color:#b00020}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function loginPage(uid: string, error?: string): string {
  return page(
    'Sign in to the test provider',
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label for="login">Username</label><input id="login" name="login" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function consentPage(details: InteractionDetails): string {
  const scopes = (details.prompt.details.missingOIDCScope ?? []).map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return page(
    'Allow access',
    `<p>${escapeHtml(details.params.client_id)} asks for:</p><ul>${scopes}</ul>
<form method="post" action="/interaction/${details.uid}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${details.uid}/abort"><button type="submit">Cancel</button></form>`,
  );
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** The login and consent screens (oidc-provider leaves them to the application). */
async function interaction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, action: string | undefined): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET' && action === undefined) {
    return send(res, 200, details.prompt.name === 'login' ? loginPage(details.uid) : consentPage(details));
  }
  if (req.method !== 'POST') return send(res, 405, page('Not allowed', ''));
  if (action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') ?? '';
    const user = Object.hasOwn(TEST_USERS, login) ? TEST_USERS[login] : undefined;
    if (!user || form.get('password') !== user.password) return send(res, 200, loginPage(details.uid, 'Wrong username or password.'));
    return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm') {
    const accountId = details.session?.accountId;
    if (!accountId) return send(res, 400, page('No session', ''));
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
  }
  return send(res, 404, page('Not found', ''));
}

/** Starts the provider; resolves once it listens. */
export async function startOidcTestProvider(options: OidcTestProviderOptions): Promise<OidcTestProvider> {
  // The issuer names the port, known only once the server listens: requests before that are refused.
  const ready: { provider?: Provider } = {};
  let userinfoRequests = 0;
  const server = http.createServer((req, res) => {
    const provider = ready.provider;
    if (!provider) return send(res, 503, page('Starting', ''));
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/me') userinfoRequests += 1;
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(path);
    if (!match) return provider.callback()(req, res);
    interaction(provider, req, res, match[2]).catch((error: unknown) => {
      // An expired or unknown interaction: oidc-provider says so; the user starts again from the console.
      if (!res.headersSent) send(res, 400, page('Sign-in expired', `<p>${escapeHtml(error instanceof Error ? error.message : 'error')}</p>`));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the provider did not get a TCP port');
  const issuer = `http://${host}:${address.port}`;

  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  ready.provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: options.redirectUris,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      { client_id: TEST_PUBLIC_CLIENT.id, redirect_uris: options.redirectUris, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] },
    ],
    async findAccount(_ctx, id) {
      const user = Object.hasOwn(TEST_USERS, id) ? TEST_USERS[id] : undefined;
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: user.name, preferred_username: id, email: user.email, email_verified: true, groups: user.groups }),
      };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    conformIdTokenClaims: !options.claimsInIdToken,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...signingKey, kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' }] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    // Every client must use PKCE: a console that forgot it would fail here.
    pkce: { required: () => true, methods: ['S256'] },
  });

  return {
    issuer,
    get userinfoRequests() {
      return userinfoRequests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `tsx scripts/oidc-test-provider.ts --port N --redirect-uri URL [--redirect-uri URL…] [--host H]` */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const values = (flag: string) => args.flatMap((arg, i) => (arg === flag && args[i + 1] !== undefined ? [args[i + 1]] : []));
  const port = Number(values('--port')[0] ?? 4400);
  const redirectUris = values('--redirect-uri');
  if (!Number.isInteger(port) || redirectUris.length === 0) {
    console.error('usage: tsx scripts/oidc-test-provider.ts --port 4400 --redirect-uri http://127.0.0.1:3100/api/auth/oidc/callback');
    process.exit(2);
  }
  const provider = await startOidcTestProvider({ port, host: values('--host')[0], redirectUris });
  console.log(`OIDC test provider at ${provider.issuer} (users: ${Object.keys(TEST_USERS).join(', ')})`);
  const stop = () => void provider.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
