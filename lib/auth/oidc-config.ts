/**
 * OpenID Connect sign-in: its configuration from the environment, and the pure mapping from a user's
 * claims to a Keydeck role and accounts. No Next.js, no network: `oidc.ts` runs the flow.
 *
 * Where the groups come from, by provider (set KEYDECK_OIDC_SCOPES and KEYDECK_OIDC_ROLE_CLAIM to match):
 * - Okta: a `groups` claim you define on the app (org authorization server: "Groups claim filter") or on
 *   a custom authorization server; request the `groups` scope → scopes `openid profile email groups`.
 * - Microsoft Entra ID: `groups` (group object ids, not names; configure "Token configuration → Add groups
 *   claim"; over 200 groups Entra leaves the claim out) or, better, app roles in `roles`. Entra refuses an
 *   unknown `groups` scope: keep the default scopes.
 * - Google: no groups in its tokens; map `hd` (the Workspace domain) or `email`, or use KEYDECK_OIDC_DEFAULT_ROLE.
 * - Keycloak: a "Group Membership" mapper (claim `groups`) or the realm roles at `realm_access.roles`;
 *   switch on "Add to ID token" or "Add to userinfo" for the mapper.
 * - Amazon Cognito: `cognito:groups` in the ID token.
 * - AWS IAM Identity Center signs users in to custom applications with SAML 2.0, not OpenID Connect: point
 *   Keydeck at the identity provider behind it, or at an OIDC broker (Keycloak, Cognito) federated with it.
 */
import { z } from 'zod';
import { ROLES, roleAllows, type Role } from './roles';

export interface OidcConfig {
  /** The issuer URL as configured; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only, `token_endpoint_auth_method=none`). */
  clientSecret?: string;
  scopes: string;
  /** Path of the claim holding groups or roles: `groups`, `roles`, `realm_access.roles`, `cognito:groups`. */
  roleClaim: string;
  /** Claim value → role; the highest role among the user's values wins. */
  roleMap: Map<string, Role>;
  /** Claim value → the account names it opens (`*` for all); null: every user sees every account. */
  accountsMap: Map<string, string[] | '*'> | null;
  /** The role of a user none of whose values is mapped; absent: such a user is refused. */
  defaultRole?: Role;
  /** The provider's name on the sign-in button. */
  label: string;
  /** The console's public origin (behind a proxy), for the redirect URI; absent: the request's own origin. */
  publicUrl?: string;
  /** Signs the state cookie instead of the key file under the data dir (several instances behind one balancer). */
  sessionSecret?: string;
}

export const DEFAULT_SCOPES = 'openid profile email';

const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function httpUrl(allowPath: boolean) {
  return z.string().transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text.trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL such as https://login.example.com, not '${text}'` });
      return z.NEVER;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
      ctx.addIssue({ code: 'custom', message: `must use https (http only for localhost), not '${url.protocol}//${url.host}'` });
      return z.NEVER;
    }
    if (url.search || url.hash || url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must have no query, fragment or credentials' });
      return z.NEVER;
    }
    if (!allowPath && url.pathname !== '/') {
      ctx.addIssue({ code: 'custom', message: `must be an origin such as https://keydeck.example.com, without the path '${url.pathname}'` });
      return z.NEVER;
    }
    // The issuer is compared verbatim with the provider's `iss`: keep it as written, but without a trailing slash
    // added by URL parsing when there was none.
    return allowPath ? text.trim() : url.origin;
  });
}

/** Splits `a=x,b=y` (or a JSON object, for values that contain `,` or `=` like LDAP DNs) into pairs. */
function pairs(text: string, ctx: z.RefinementCtx): [string, string][] | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'starts with { but is not valid JSON' });
      return undefined;
    }
    const record = z.record(z.string().min(1), z.string()).safeParse(parsed);
    if (!record.success) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of strings, such as {"keydeck-admins":"admin"}' });
      return undefined;
    }
    return Object.entries(record.data);
  }
  const result: [string, string][] = [];
  for (const [index, raw] of trimmed.split(',').entries()) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1} ('${entry}') must look like group=value` });
      return undefined;
    }
    result.push([entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()]);
  }
  return result;
}

const roleMap = z.string().transform((text, ctx) => {
  const entries = pairs(text, ctx);
  if (!entries) return z.NEVER;
  const map = new Map<string, Role>();
  for (const [group, role] of entries) {
    const parsed = z.enum(ROLES).safeParse(role);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: `maps '${group}' to '${role}', which is not one of ${ROLES.join(', ')}` });
      return z.NEVER;
    }
    const before = map.get(group);
    map.set(group, before && roleAllows(before, parsed.data) ? before : parsed.data);
  }
  return map;
});

const accountsMap = z.string().transform((text, ctx) => {
  const entries = pairs(text, ctx);
  if (!entries) return z.NEVER;
  const map = new Map<string, string[] | '*'>();
  for (const [group, value] of entries) {
    if (value === '*') {
      map.set(group, '*');
      continue;
    }
    const names = value.split('|').map((n) => n.trim()).filter((n) => n !== '');
    const bad = names.find((n) => !ACCOUNT_NAME.test(n));
    if (names.length === 0 || bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `maps '${group}' to '${value}': list account names as in KEYDECK_ACCOUNTS, separated by |, or * for all` });
      return z.NEVER;
    }
    const before = map.get(group);
    map.set(group, before === '*' ? '*' : [...new Set([...(before ?? []), ...names])]);
  }
  return map;
});

const schema = z.object({
  KEYDECK_OIDC_ISSUER: optional(httpUrl(true)),
  KEYDECK_OIDC_CLIENT_ID: optional(z.string().max(512)),
  KEYDECK_OIDC_CLIENT_SECRET: optional(z.string().max(4096)),
  KEYDECK_OIDC_SCOPES: optional(
    z
      .string()
      .transform((text) => [...new Set(text.split(/[\s,]+/).filter((s) => s !== ''))])
      .refine((scopes) => scopes.includes('openid'), { message: "must include 'openid'" })
      .transform((scopes) => scopes.join(' ')),
  ),
  KEYDECK_OIDC_ROLE_CLAIM: optional(z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, { message: 'must be a claim name or a dotted path such as realm_access.roles' })),
  KEYDECK_OIDC_ROLE_MAP: optional(roleMap),
  KEYDECK_OIDC_ACCOUNTS_MAP: optional(accountsMap),
  KEYDECK_OIDC_DEFAULT_ROLE: optional(z.enum(ROLES, { error: (issue) => `must be one of ${ROLES.join(', ')}, not '${String(issue.input)}'` })),
  KEYDECK_OIDC_LABEL: optional(z.string().max(40, { message: 'must be at most 40 characters' })),
  KEYDECK_PUBLIC_URL: optional(httpUrl(false)),
  KEYDECK_SESSION_SECRET: optional(z.string().min(32, { message: 'must be at least 32 characters (for example `openssl rand -base64 32`)' })),
});

/** The OIDC configuration of `env`, or null when KEYDECK_OIDC_ISSUER is unset; throws an Error naming each invalid variable. */
export function parseOidcConfig(env: Record<string, string | undefined>): OidcConfig | null {
  const result = schema.safeParse(env);
  const problems = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  if (result.success) {
    const d = result.data;
    if (d.KEYDECK_OIDC_ISSUER === undefined) return null;
    if (d.KEYDECK_OIDC_CLIENT_ID === undefined) problems.push('KEYDECK_OIDC_CLIENT_ID must be set when KEYDECK_OIDC_ISSUER is');
    if ((d.KEYDECK_OIDC_ROLE_MAP?.size ?? 0) === 0 && d.KEYDECK_OIDC_DEFAULT_ROLE === undefined) {
      problems.push('KEYDECK_OIDC_ROLE_MAP must map at least one group to a role (group=admin,…), or KEYDECK_OIDC_DEFAULT_ROLE must be set');
    }
    if (problems.length === 0 && d.KEYDECK_OIDC_CLIENT_ID !== undefined) {
      return {
        issuer: d.KEYDECK_OIDC_ISSUER,
        clientId: d.KEYDECK_OIDC_CLIENT_ID,
        ...(d.KEYDECK_OIDC_CLIENT_SECRET !== undefined && { clientSecret: d.KEYDECK_OIDC_CLIENT_SECRET }),
        scopes: d.KEYDECK_OIDC_SCOPES ?? DEFAULT_SCOPES,
        roleClaim: d.KEYDECK_OIDC_ROLE_CLAIM ?? 'groups',
        roleMap: d.KEYDECK_OIDC_ROLE_MAP ?? new Map(),
        accountsMap: d.KEYDECK_OIDC_ACCOUNTS_MAP ?? null,
        ...(d.KEYDECK_OIDC_DEFAULT_ROLE !== undefined && { defaultRole: d.KEYDECK_OIDC_DEFAULT_ROLE }),
        label: d.KEYDECK_OIDC_LABEL ?? 'single sign-on',
        ...(d.KEYDECK_PUBLIC_URL !== undefined && { publicUrl: d.KEYDECK_PUBLIC_URL }),
        ...(d.KEYDECK_SESSION_SECRET !== undefined && { sessionSecret: d.KEYDECK_SESSION_SECRET }),
      };
    }
  }
  throw new Error(`Invalid Keydeck configuration: ${problems.join('; ')}`);
}

let cached: { value: OidcConfig | null } | undefined;

/** The process's OIDC configuration (null: OIDC sign-in is off), read from `process.env` on first use. */
export function getOidcConfig(): OidcConfig | null {
  cached ??= { value: parseOidcConfig(process.env) };
  return cached.value;
}

/** The values of the claim at a dotted path: a string is one value, an array its string members; anything else none. */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  // A claim whose own name contains dots (`https://example.com/groups`) is tried whole first.
  if (path in claims) value = claims[path];
  else {
    for (const part of path.split('.')) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
      value = (value as Record<string, unknown>)[part];
    }
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export type ClaimMapping = { ok: true; role: Role; accounts: string[] | null; values: string[] } | { ok: false; reason: 'no_role' | 'no_accounts' };

/** The role and accounts of a user with these claims: the highest mapped role, the union of mapped accounts. */
export function mapClaims(config: Pick<OidcConfig, 'roleClaim' | 'roleMap' | 'accountsMap' | 'defaultRole'>, claims: Record<string, unknown>): ClaimMapping {
  const values = claimValues(claims, config.roleClaim);
  let role: Role | undefined;
  for (const value of values) {
    const mapped = config.roleMap.get(value);
    if (mapped && (!role || !roleAllows(role, mapped))) role = mapped;
  }
  role ??= config.defaultRole;
  if (!role) return { ok: false, reason: 'no_role' };
  if (!config.accountsMap) return { ok: true, role, accounts: null, values };
  const accounts = new Set<string>();
  for (const value of values) {
    const mapped = config.accountsMap.get(value);
    if (mapped === '*') return { ok: true, role, accounts: null, values };
    for (const name of mapped ?? []) accounts.add(name);
  }
  // Scoping is on and none of the user's groups opens an account: refused rather than shown everything.
  if (accounts.size === 0) return { ok: false, reason: 'no_accounts' };
  return { ok: true, role, accounts: [...accounts].sort(), values };
}

/** The `?error=` codes of /signin after an OIDC sign-in, with the message the sign-in page shows. */
export const OIDC_ERROR_MESSAGES = {
  oidc_not_configured: 'Single sign-on is not configured on this console.',
  oidc_unavailable: 'The identity provider could not be reached. Try again, or ask an administrator to check the OIDC settings.',
  oidc_state: 'The sign-in took too long or was started in another browser. Please sign in again.',
  oidc_denied: 'The identity provider did not sign you in (cancelled or refused).',
  oidc_failed: 'The identity provider’s answer could not be verified. Please sign in again.',
  oidc_no_role: 'You signed in, but none of your groups gives access to Keydeck. Ask an administrator to add you to a Keydeck group.',
  oidc_no_accounts: 'You signed in, but none of your groups opens an AWS account in Keydeck. Ask an administrator to add you to a team’s group.',
} as const;

export type OidcErrorCode = keyof typeof OIDC_ERROR_MESSAGES;
