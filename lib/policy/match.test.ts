/**
 * Wildcards and principals. Sources:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
import { describe, expect, it } from 'vitest';
import { actionMatches, identify, matchAwsPrincipal, matchPrincipal, notPrincipalExempts, resourceMatches, wildcardMatch } from './match';
import { ACCOUNT, ALICE, APP_ROLE, APP_SESSION, OTHER_ACCOUNT, ROOT } from './test-support';
import type { PrincipalSpec } from './types';

const spec = (p: Partial<PrincipalSpec>): PrincipalSpec => ({ wildcard: false, aws: [], service: [], federated: [], ...p });

describe('wildcards', () => {
  it.each([
    ['kms:*', 'kms:Decrypt', true],
    ['kms:Describe*', 'kms:DescribeKey', true],
    ['kms:*Key', 'kms:DescribeKey', true],
    ['kms:*Key', 'kms:DescribeKeys', false],
    ['kms:?ncrypt', 'kms:Encrypt', true],
    ['kms:?ncrypt', 'kms:Decrypt', false],
    ['*', 's3:GetObject', true],
    ['kms:Decrypt', 'kms:DecryptX', false],
  ])('%s matches %s: %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });

  it('treats regular expression characters literally', () => {
    expect(wildcardMatch('a.b(c)+', 'a.b(c)+')).toBe(true);
    expect(wildcardMatch('a.b', 'axb')).toBe(false);
  });

  it('matches actions without regard to case, resources with it', () => {
    expect(actionMatches(['KMS:ENCRYPT'], 'kms:Encrypt')).toBe(true);
    expect(resourceMatches(['arn:aws:kms:*:111122223333:key/*'], 'arn:aws:kms:us-east-1:111122223333:key/abc')).toBe(true);
    expect(resourceMatches(['arn:aws:kms:*:111122223333:KEY/*'], 'arn:aws:kms:us-east-1:111122223333:key/abc')).toBe(false);
  });
});

describe('identify', () => {
  it.each([
    [ROOT, { kind: 'root', account: ACCOUNT }],
    [ALICE, { kind: 'user', name: 'alice' }],
    [`arn:aws:iam::${ACCOUNT}:user/division/alice`, { kind: 'user', name: 'alice' }],
    [APP_ROLE, { kind: 'role', roleName: 'app' }],
    [APP_SESSION, { kind: 'assumed-role', roleName: 'app', sessionName: 'session-1' }],
    [`arn:aws:sts::${ACCOUNT}:federated-user/bob`, { kind: 'federated-user' }],
    [`arn:aws-cn:iam::${ACCOUNT}:root`, { kind: 'root', partition: 'aws-cn' }],
  ])('reads %s', (arn, expected) => {
    expect(identify(arn, ACCOUNT)).toMatchObject(expected);
  });

  it('treats a request with a service as a service principal', () => {
    expect(identify('', '', 'logs.amazonaws.com')).toEqual({ kind: 'service', service: 'logs.amazonaws.com' });
  });
});

describe('principals', () => {
  const alice = identify(ALICE, ACCOUNT);
  const session = identify(APP_SESSION, ACCOUNT);

  it('an account ID and the account ARN delegate to the account; they do not name a user', () => {
    expect(matchAwsPrincipal(ACCOUNT, alice)).toBe('account');
    expect(matchAwsPrincipal(ROOT, alice)).toBe('account');
    expect(matchAwsPrincipal(OTHER_ACCOUNT, alice)).toBeUndefined();
    expect(matchAwsPrincipal(`arn:aws-cn:iam::${ACCOUNT}:root`, alice)).toBeUndefined();
  });

  it('a user ARN names that user; a role ARN names its sessions', () => {
    expect(matchAwsPrincipal(ALICE, alice)).toBe('direct');
    expect(matchAwsPrincipal(APP_ROLE, session)).toBe('direct');
    expect(matchAwsPrincipal(APP_ROLE, alice)).toBeUndefined();
  });

  it('prefers a direct match over an account match', () => {
    expect(matchPrincipal(spec({ aws: [ROOT, ALICE] }), alice)).toBe('direct');
    expect(matchPrincipal(spec({ aws: [ROOT] }), alice)).toBe('account');
    expect(matchPrincipal(spec({ wildcard: true }), alice)).toBe('direct');
  });

  it('compares service principals without regard to case, and only to services', () => {
    const logs = identify('', '', 'logs.us-east-1.amazonaws.com');
    expect(matchPrincipal(spec({ service: ['LOGS.us-east-1.amazonaws.com'] }), logs)).toBe('direct');
    expect(matchPrincipal(spec({ aws: [ROOT] }), logs)).toBeUndefined();
    expect(matchPrincipal(spec({ service: ['logs.us-east-1.amazonaws.com'] }), alice)).toBeUndefined();
  });

  it('NotPrincipal exempts only when the account and every entity of the caller are listed', () => {
    expect(notPrincipalExempts(spec({ aws: [ALICE, ROOT] }), alice)).toBe(true);
    expect(notPrincipalExempts(spec({ aws: [ALICE] }), alice)).toBe(false);
    expect(notPrincipalExempts(spec({ aws: [ROOT] }), alice)).toBe(false);
    expect(notPrincipalExempts(spec({ aws: [APP_SESSION, APP_ROLE, ACCOUNT] }), session)).toBe(true);
    expect(notPrincipalExempts(spec({ aws: [APP_SESSION, ROOT] }), session)).toBe(false);
    expect(notPrincipalExempts(spec({ aws: [ROOT] }), identify(ROOT, ACCOUNT))).toBe(true);
  });
});
