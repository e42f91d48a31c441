/**
 * The OpenID Connect authorization code flow, with openid-client (panva's certified relying party): discovery,
 * PKCE (S256), `state` and `nonce`, ID token validation (issuer, audience, expiry, nonce, signature) by the
 * library, userinfo when the ID token lacks the groups, and the claims → Keydeck identity mapping.
 *
 * No Next.js here: the route handlers under `app/api/auth/oidc/` move the state cookie and call `signIn`.
 *
 * The state cookie carries the PKCE verifier, `state`, `nonce` and the page to return to, encrypted and
 * authenticated with AES-256-GCM, for 10 minutes. Its key is, by default, a random 256-bit file under the data
 * dir (mode 0600, made on first use): nothing to configure, and it never leaves the machine. Several console
 * instances behind one load balancer (a shared PostgreSQL store) must agree on it — a sign-in may start on
 * one and come back to another — so KEYDECK_SESSION_SECRET, when set, derives the key instead (HKDF-SHA256).
 */
import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as client from 'openid-client';
import { safeNextPath } from './next-path';
import { claimValues, mapClaims, type OidcConfig, type OidcErrorCode } from './oidc-config';
import type { Identity } from './sessions';

export const OIDC_STATE_MAX_AGE = 600;
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

/** A sign-in that did not complete; `code` is what /signin?error= shows, `detail` is for the server log only. */
export class OidcSignInError extends Error {
  constructor(
    readonly code: OidcErrorCode,
    readonly detail: string,
  ) {
    super(`OIDC sign-in failed (${code}): ${detail}`);
    this.name = 'OidcSignInError';
  }
}

// ---- discovery, cached per issuer and client for an hour (a failure is not cached) ----

interface CachedDiscovery {
  at: number;
  configuration: Promise<client.Configuration>;
}
const DISCOVERY_TTL_MS = 3600_000;
const discoveryCache: Map<string, CachedDiscovery> = ((globalThis as { __keydeckOidcDiscovery?: Map<string, CachedDiscovery> }).__keydeckOidcDiscovery ??= new Map());

/** The provider's metadata and this client, discovered from `<issuer>/.well-known/openid-configuration`. */
export function discover(config: OidcConfig): Promise<client.Configuration> {
  const key = `${config.issuer}\n${config.clientId}\n${config.clientSecret === undefined ? 'public' : crypto.createHash('sha256').update(config.clientSecret).digest('hex')}`;
  const hit = discoveryCache.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.configuration;
  const insecure = new URL(config.issuer).protocol === 'http:';
  const configuration = (async () => {
    // Discovery first without client auth, to pick the method the provider supports.
    const probe = await client.discovery(new URL(config.issuer), config.clientId, undefined, client.None(), {
      timeout: 10,
      ...(insecure && { execute: [client.allowInsecureRequests] }),
    });
    if (config.clientSecret === undefined) return probe;
    const supported = probe.serverMetadata().token_endpoint_auth_methods_supported;
    // client_secret_basic is the default of the specs; post when the provider says it only takes that.
    const auth = supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post') ? client.ClientSecretPost(config.clientSecret) : client.ClientSecretBasic(config.clientSecret);
    const instance = new client.Configuration(probe.serverMetadata(), config.clientId, config.clientSecret, auth);
    if (insecure) client.allowInsecureRequests(instance);
    return instance;
  })();
  discoveryCache.set(key, { at: Date.now(), configuration });
  configuration.catch(() => {
    if (discoveryCache.get(key)?.configuration === configuration) discoveryCache.delete(key);
  });
  return configuration;
}

// ---- the state cookie ----

/** The key that seals the state cookie: derived from KEYDECK_SESSION_SECRET, else the data dir's key file. */
export function stateKey(config: Pick<OidcConfig, 'sessionSecret'>, dataDir: string): Buffer {
  if (config.sessionSecret !== undefined) {
    return Buffer.from(crypto.hkdfSync('sha256', config.sessionSecret, 'keydeck', 'keydeck oidc state cookie v1', 32));
  }
  const file = path.join(dataDir, 'oidc-state.key');
  try {
    return readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // wx: of two processes starting at once, one writes and the other reads what it wrote.
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 256-bit key; delete it to have a new one made.`);
  return key;
}

export interface FlowState {
  v: 1;
  /** issuer and client the flow was started with */
  iss: string;
  cid: string;
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  next: string;
  /** issued at, seconds */
  iat: number;
}

const AAD = Buffer.from('keydeck-oidc-state-v1');

export function sealState(key: Buffer, state: FlowState): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openState(key: Buffer, sealed: string | undefined, now: number): FlowState {
  if (!sealed) throw new OidcSignInError('oidc_state', 'no state cookie (expired, already used, or another browser)');
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < 29 || raw.length > 4096) throw new OidcSignInError('oidc_state', 'malformed state cookie');
  let state: FlowState;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(AAD);
    decipher.setAuthTag(raw.subarray(12, 28));
    state = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as FlowState;
  } catch {
    throw new OidcSignInError('oidc_state', 'state cookie failed authentication (tampered, or sealed with another key)');
  }
  if (state.v !== 1) throw new OidcSignInError('oidc_state', 'unknown state cookie version');
  if (now - state.iat > OIDC_STATE_MAX_AGE || state.iat - now > 60) throw new OidcSignInError('oidc_state', 'state cookie expired');
  return state;
}

// ---- the flow ----

export interface OidcFlow {
  config: OidcConfig;
  /** The state cookie's key (`stateKey`). */
  key: Buffer;
  /** Seconds since the epoch; injectable for tests. */
  now?: number;
}

/** The redirect URI registered at the provider: KEYDECK_PUBLIC_URL's, else this request's origin's. */
export function redirectUriFor(config: Pick<OidcConfig, 'publicUrl'>, requestUrl: string): string {
  return new URL(OIDC_CALLBACK_PATH, config.publicUrl ?? new URL(requestUrl).origin).toString();
}

const nowSeconds = (flow: OidcFlow) => flow.now ?? Math.floor(Date.now() / 1000);

/** Starts a sign-in: the provider's authorization URL to redirect to, and the sealed state for the cookie. */
export async function beginOidcSignIn(flow: OidcFlow, options: { redirectUri: string; next?: string | null }): Promise<{ url: URL; cookie: string }> {
  let configuration: client.Configuration;
  try {
    configuration = await discover(flow.config);
  } catch (error) {
    throw new OidcSignInError('oidc_unavailable', `discovery of ${flow.config.issuer} failed: ${describeError(error)}`);
  }
  const verifier = client.randomPKCECodeVerifier();
  const state: FlowState = {
    v: 1,
    iss: flow.config.issuer,
    cid: flow.config.clientId,
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier,
    redirectUri: options.redirectUri,
    next: safeNextPath(options.next),
    iat: nowSeconds(flow),
  };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: flow.config.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: state.state,
    nonce: state.nonce,
  });
  return { url, cookie: sealState(flow.key, state) };
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/**
 * Completes a sign-in at the callback: checks the state cookie against the response, exchanges the code (PKCE),
 * validates the ID token, reads userinfo if the groups are not in it, and maps the claims to an identity.
 * Throws OidcSignInError with the code to show.
 */
export async function completeOidcSignIn(flow: OidcFlow, options: { callbackUrl: URL; cookie: string | undefined }): Promise<{ identity: Identity; next: string }> {
  const state = openState(flow.key, options.cookie, nowSeconds(flow));
  if (state.iss !== flow.config.issuer || state.cid !== flow.config.clientId) throw new OidcSignInError('oidc_state', 'the sign-in was started for another provider or client');
  const returned = options.callbackUrl.searchParams.get('state');
  if (returned === null || !sameText(returned, state.state)) throw new OidcSignInError('oidc_state', 'the response’s state does not match this browser’s sign-in');

  let configuration: client.Configuration;
  try {
    configuration = await discover(flow.config);
  } catch (error) {
    throw new OidcSignInError('oidc_unavailable', `discovery of ${flow.config.issuer} failed: ${describeError(error)}`);
  }
  // The library compares the callback URL, less its query, with the redirect URI it sends to the token endpoint.
  const currentUrl = new URL(state.redirectUri);
  currentUrl.search = options.callbackUrl.search;

  let claims: Record<string, unknown>;
  let accessToken: string;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: state.verifier,
      expectedState: state.state,
      expectedNonce: state.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new OidcSignInError('oidc_failed', 'the token response has no ID token');
    claims = { ...idToken };
    accessToken = tokens.access_token;
  } catch (error) {
    throw classify(error);
  }

  const hasRoleClaim = claimValues(claims, flow.config.roleClaim).length > 0;
  const hasName = typeof claims.name === 'string' || typeof claims.email === 'string' || typeof claims.preferred_username === 'string';
  if ((!hasRoleClaim || !hasName) && configuration.serverMetadata().userinfo_endpoint) {
    try {
      const userinfo = await client.fetchUserInfo(configuration, accessToken, String(claims.sub));
      // The ID token's own claims win; userinfo fills in what it lacks (sub is checked equal by the library).
      claims = { ...userinfo, ...claims };
    } catch (error) {
      throw classify(error);
    }
  }

  const mapping = mapClaims(flow.config, claims);
  if (!mapping.ok) {
    throw new OidcSignInError(mapping.reason === 'no_role' ? 'oidc_no_role' : 'oidc_no_accounts', `${String(claims.sub)}: ${mapping.reason}`);
  }
  const issuer = configuration.serverMetadata().issuer;
  const sub = String(claims.sub);
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined);
  const email = claims.email_verified === false ? undefined : text(claims.email);
  return {
    identity: {
      provider: 'oidc',
      subject: `${issuer}#${sub}`,
      name: text(claims.name) ?? text(claims.preferred_username) ?? email ?? sub.slice(0, 200),
      email: email ?? null,
      role: mapping.role,
      accounts: mapping.accounts,
    },
    next: safeNextPath(state.next),
  };
}

/** A short, token-free description of an error for the server log. */
function describeError(error: unknown): string {
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) return `${error.error}${error.error_description ? ` (${error.error_description.slice(0, 200)})` : ''}`;
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? ` [${error.code}]` : '';
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${code}${cause}`.slice(0, 300);
  }
  return 'unknown error';
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  return error.cause !== undefined && error.cause !== error && isNetworkError(error.cause);
}

function classify(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error;
  if (error instanceof client.AuthorizationResponseError) return new OidcSignInError('oidc_denied', describeError(error));
  if (isNetworkError(error)) return new OidcSignInError('oidc_unavailable', describeError(error));
  return new OidcSignInError('oidc_failed', describeError(error));
}
