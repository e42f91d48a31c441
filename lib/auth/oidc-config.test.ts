import { describe, expect, it } from 'vitest';
import { claimValues, DEFAULT_SCOPES, mapClaims, parseOidcConfig, type OidcConfig } from './oidc-config';

const BASE = {
  KEYDECK_OIDC_ISSUER: 'https://login.example.com/oauth2/default',
  KEYDECK_OIDC_CLIENT_ID: 'keydeck',
  KEYDECK_OIDC_ROLE_MAP: 'keydeck-admins=admin',
};

const parsed = (env: Record<string, string | undefined>): OidcConfig => {
  const config = parseOidcConfig(env);
  if (!config) throw new Error('expected a configuration');
  return config;
};

describe('parseOidcConfig', () => {
  it('is off (null) without KEYDECK_OIDC_ISSUER, also when empty', () => {
    expect(parseOidcConfig({})).toBeNull();
    expect(parseOidcConfig({ KEYDECK_OIDC_ISSUER: ' ', KEYDECK_OIDC_CLIENT_ID: 'x' })).toBeNull();
  });

  it('reads a minimal configuration with its defaults', () => {
    expect(parsed(BASE)).toEqual({
      issuer: 'https://login.example.com/oauth2/default',
      clientId: 'keydeck',
      scopes: DEFAULT_SCOPES,
      roleClaim: 'groups',
      roleMap: new Map([['keydeck-admins', 'admin']]),
      accountsMap: null,
      label: 'single sign-on',
    });
    expect(DEFAULT_SCOPES).toBe('openid profile email');
  });

  it('reads every variable', () => {
    const config = parsed({
      ...BASE,
      KEYDECK_OIDC_CLIENT_SECRET: 'shh',
      KEYDECK_OIDC_SCOPES: 'openid, profile email groups openid',
      KEYDECK_OIDC_ROLE_CLAIM: 'realm_access.roles',
      KEYDECK_OIDC_ROLE_MAP: 'kd-admin=admin, kd-ops=operator,kd-read=viewer',
      KEYDECK_OIDC_ACCOUNTS_MAP: 'kd-admin=*,kd-ops=prod|staging',
      KEYDECK_OIDC_DEFAULT_ROLE: 'viewer',
      KEYDECK_OIDC_LABEL: 'Okta',
      KEYDECK_PUBLIC_URL: 'https://keydeck.example.com/',
      KEYDECK_SESSION_SECRET: 'x'.repeat(32),
    });
    expect(config).toEqual({
      issuer: 'https://login.example.com/oauth2/default',
      clientId: 'keydeck',
      clientSecret: 'shh',
      scopes: 'openid profile email groups',
      roleClaim: 'realm_access.roles',
      roleMap: new Map([
        ['kd-admin', 'admin'],
        ['kd-ops', 'operator'],
        ['kd-read', 'viewer'],
      ]),
      accountsMap: new Map<string, string[] | '*'>([
        ['kd-admin', '*'],
        ['kd-ops', ['prod', 'staging']],
      ]),
      defaultRole: 'viewer',
      label: 'Okta',
      publicUrl: 'https://keydeck.example.com',
      sessionSecret: 'x'.repeat(32),
    });
  });

  it('takes JSON maps for group names with commas or equals signs (LDAP DNs)', () => {
    const config = parsed({ ...BASE, KEYDECK_OIDC_ROLE_MAP: '{"cn=kms-admins,ou=groups,dc=example":"admin"}', KEYDECK_OIDC_ACCOUNTS_MAP: '{"cn=kms-admins,ou=groups,dc=example":"prod|dev"}' });
    expect(config.roleMap.get('cn=kms-admins,ou=groups,dc=example')).toBe('admin');
    expect(config.accountsMap?.get('cn=kms-admins,ou=groups,dc=example')).toEqual(['prod', 'dev']);
  });

  it('keeps the higher role when a group is listed twice', () => {
    expect(parsed({ ...BASE, KEYDECK_OIDC_ROLE_MAP: 'g=admin,g=viewer' }).roleMap.get('g')).toBe('admin');
  });

  it('allows http only for localhost', () => {
    expect(parsed({ ...BASE, KEYDECK_OIDC_ISSUER: 'http://127.0.0.1:4400' }).issuer).toBe('http://127.0.0.1:4400');
    expect(parsed({ ...BASE, KEYDECK_OIDC_ISSUER: 'http://localhost:8080/realms/kd' }).issuer).toBe('http://localhost:8080/realms/kd');
    expect(() => parsed({ ...BASE, KEYDECK_OIDC_ISSUER: 'http://login.example.com' })).toThrow(/KEYDECK_OIDC_ISSUER must use https \(http only for localhost\)/);
    expect(() => parsed({ ...BASE, KEYDECK_OIDC_ISSUER: 'login.example.com' })).toThrow(/KEYDECK_OIDC_ISSUER must be a URL/);
  });

  it('names each invalid variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ KEYDECK_OIDC_CLIENT_ID: '' }, /KEYDECK_OIDC_CLIENT_ID must be set when KEYDECK_OIDC_ISSUER is/],
      [{ KEYDECK_OIDC_SCOPES: 'profile email' }, /KEYDECK_OIDC_SCOPES must include 'openid'/],
      [{ KEYDECK_OIDC_ROLE_MAP: 'admins=root' }, /KEYDECK_OIDC_ROLE_MAP maps 'admins' to 'root', which is not one of viewer, operator, admin/],
      [{ KEYDECK_OIDC_ROLE_MAP: 'admins' }, /KEYDECK_OIDC_ROLE_MAP entry 1 \('admins'\) must look like group=value/],
      [{ KEYDECK_OIDC_ROLE_MAP: '{"a":' }, /KEYDECK_OIDC_ROLE_MAP starts with \{ but is not valid JSON/],
      [{ KEYDECK_OIDC_ROLE_MAP: '' }, /KEYDECK_OIDC_ROLE_MAP must map at least one group/],
      [{ KEYDECK_OIDC_ACCOUNTS_MAP: 'ops=prod|bad name' }, /KEYDECK_OIDC_ACCOUNTS_MAP maps 'ops' to 'prod\|bad name'/],
      [{ KEYDECK_OIDC_DEFAULT_ROLE: 'root' }, /KEYDECK_OIDC_DEFAULT_ROLE must be one of viewer, operator, admin, not 'root'/],
      [{ KEYDECK_OIDC_ROLE_CLAIM: 'realm_access..roles' }, /KEYDECK_OIDC_ROLE_CLAIM must be a claim name or a dotted path/],
      [{ KEYDECK_PUBLIC_URL: 'https://keydeck.example.com/console' }, /KEYDECK_PUBLIC_URL must be an origin/],
      [{ KEYDECK_SESSION_SECRET: 'short' }, /KEYDECK_SESSION_SECRET must be at least 32 characters/],
    ];
    for (const [env, message] of cases) expect(() => parseOidcConfig({ ...BASE, ...env }), String(message)).toThrow(message);
  });

  it('accepts a default role without any role map', () => {
    expect(parsed({ ...BASE, KEYDECK_OIDC_ROLE_MAP: undefined, KEYDECK_OIDC_DEFAULT_ROLE: 'viewer' }).defaultRole).toBe('viewer');
  });
});

describe('claimValues', () => {
  it('reads a string, an array, a dotted path, and a claim whose name has dots', () => {
    expect(claimValues({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ groups: 'a' }, 'groups')).toEqual(['a']);
    expect(claimValues({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(claimValues({ 'https://example.com/groups': ['y'] }, 'https://example.com/groups')).toEqual(['y']);
    expect(claimValues({ 'cognito:groups': ['z'] }, 'cognito:groups')).toEqual(['z']);
    expect(claimValues({ realm_access: ['x'] }, 'realm_access.roles')).toEqual([]);
    expect(claimValues({}, 'groups')).toEqual([]);
    expect(claimValues({ groups: { a: 1 } }, 'groups')).toEqual([]);
  });
});

describe('mapClaims', () => {
  const config = parsed({ ...BASE, KEYDECK_OIDC_ROLE_MAP: 'kd-admin=admin,kd-ops=operator,kd-read=viewer' });

  it('gives the highest role among the groups, whatever their order', () => {
    expect(mapClaims(config, { groups: ['kd-read', 'kd-admin', 'kd-ops'] })).toMatchObject({ ok: true, role: 'admin', accounts: null });
    expect(mapClaims(config, { groups: ['other', 'kd-ops', 'kd-read'] })).toMatchObject({ ok: true, role: 'operator' });
    expect(mapClaims(config, { groups: 'kd-read' })).toMatchObject({ ok: true, role: 'viewer' });
  });

  it('refuses a user in no mapped group, or falls back to the default role', () => {
    expect(mapClaims(config, { groups: ['other'] })).toEqual({ ok: false, reason: 'no_role' });
    expect(mapClaims(config, {})).toEqual({ ok: false, reason: 'no_role' });
    expect(mapClaims({ ...config, defaultRole: 'viewer' }, { groups: ['other'] })).toMatchObject({ ok: true, role: 'viewer' });
    // A mapped group beats the default even when the default is higher: the default is for the unmapped only.
    expect(mapClaims({ ...config, defaultRole: 'operator' }, { groups: ['kd-read'] })).toMatchObject({ ok: true, role: 'viewer' });
  });

  it('reads the role claim at a dotted path (Keycloak realm roles)', () => {
    expect(mapClaims({ ...config, roleClaim: 'realm_access.roles' }, { realm_access: { roles: ['kd-ops'] }, groups: ['kd-admin'] })).toMatchObject({ ok: true, role: 'operator' });
  });

  it('scopes to the union of the accounts of the groups; * opens all; none of them refuses', () => {
    const scoped = parsed({ ...BASE, KEYDECK_OIDC_ROLE_MAP: 'kd-ops=operator,team-a=viewer,team-b=viewer,root=admin', KEYDECK_OIDC_ACCOUNTS_MAP: 'team-a=prod|shared,team-b=dev|shared,root=*' });
    expect(mapClaims(scoped, { groups: ['team-a', 'team-b'] })).toMatchObject({ ok: true, role: 'viewer', accounts: ['dev', 'prod', 'shared'] });
    expect(mapClaims(scoped, { groups: ['team-b', 'root'] })).toMatchObject({ ok: true, role: 'admin', accounts: null });
    expect(mapClaims(scoped, { groups: ['kd-ops'] })).toEqual({ ok: false, reason: 'no_accounts' });
  });
});
