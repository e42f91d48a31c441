import { describe, expect, it } from 'vitest';
import { ACCOUNT, ALICE, APP_ROLE, BOB, OTHER_ROOT, defaultKeyPolicyDoc } from './test-support';
import { describePolicyChange, policyChange } from './version-summary';

type Json = Record<string, unknown>;
const root = defaultKeyPolicyDoc().Statement[0] as Json;
const doc = (statements: Json[], extra: Json = {}) => JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statements }, null, 2);
const allow = (sid: string | undefined, principal: unknown, action: unknown, extra: Json = {}): Json => ({ ...(sid ? { Sid: sid } : {}), Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra });
const change = (before: string, after: string) => policyChange(before, after, ACCOUNT);

describe('policyChange', () => {
  it('names statements added and removed by Sid, and the principals gained and lost', () => {
    const before = doc([root, allow('Admins', { AWS: ALICE }, 'kms:Create*')]);
    const after = doc([root, allow('Allow use of the key', { AWS: [APP_ROLE, OTHER_ROOT] }, ['kms:Encrypt', 'kms:Decrypt'])]);
    const c = change(before, after);
    expect(c.added).toEqual(['“Allow use of the key”']);
    expect(c.removed).toEqual(['“Admins”']);
    expect(c.changed).toEqual([]);
    expect(c.principalsGained).toEqual(['role/app', 'account 444455556666 (root)']);
    expect(c.principalsLost).toEqual(['user/alice']);
    expect(describePolicyChange(c)).toEqual([
      'Added “Allow use of the key”',
      'Removed “Admins”',
      'Principals gained: role/app, account 444455556666 (root)',
      'Principals lost: user/alice',
    ]);
  });

  it('details a statement changed under the same Sid: actions, principals, effect, conditions, resource', () => {
    const before = doc([root, allow('Use', { AWS: ALICE }, ['kms:Encrypt'], { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })]);
    const after = doc([
      root,
      {
        Sid: 'Use',
        Effect: 'Deny',
        Principal: { AWS: BOB },
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/x`,
        Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' }, Bool: { 'aws:SecureTransport': 'true' } },
      },
    ]);
    const [c] = change(before, after).changed;
    expect(c.label).toBe('“Use”');
    expect(c.details).toEqual([
      'Allow → Deny',
      '+kms:Decrypt',
      'principal +user/bob',
      'principal −user/alice',
      'resource changed',
      'condition StringEquals kms:ViaService values changed',
      'condition +Bool aws:SecureTransport',
    ]);
    // Bob is named by a Deny, Alice no longer by an Allow.
    expect(change(before, after).principalsGained).toEqual([]);
    expect(change(before, after).principalsLost).toEqual(['user/alice']);
  });

  it('ignores formatting, statement order and the case of actions', () => {
    const before = doc([root, allow('Use', { AWS: ALICE }, ['kms:Encrypt', 'kms:Decrypt'])]);
    const after = JSON.stringify({ Version: '2012-10-17', Statement: [allow('Use', { AWS: ALICE }, ['kms:decrypt', 'kms:encrypt']), root] });
    const c = change(before, after);
    expect(c).toMatchObject({ parsed: true, textChanged: true, added: [], removed: [], changed: [], principalsGained: [], principalsLost: [] });
    expect(describePolicyChange(c)).toEqual(['Formatting only: the same statements.']);
    expect(describePolicyChange(change(before, before))).toEqual(['No change.']);
  });

  it('matches statements without a Sid by content, then pairs the rest in order', () => {
    const before = doc([root, allow(undefined, { AWS: ALICE }, 'kms:Encrypt'), allow(undefined, { AWS: BOB }, 'kms:Decrypt')]);
    const after = doc([root, allow(undefined, { AWS: BOB }, 'kms:Decrypt'), allow(undefined, { AWS: ALICE }, ['kms:Encrypt', 'kms:Sign'])]);
    const c = change(before, after);
    expect(c.added).toEqual([]);
    expect(c.removed).toEqual([]);
    expect(c.changed).toEqual([{ label: 'statement 3', details: ['+kms:Sign'] }]);

    const more = change(before, doc([root, allow(undefined, { AWS: BOB }, 'kms:Decrypt')]));
    expect(more.removed).toEqual(['statement 2']);
  });

  it('says when a version does not parse, and reports a changed policy Id', () => {
    const good = doc([root]);
    expect(describePolicyChange(change(good, '{ "Version": '))).toEqual(['The JSON changed; one of the two versions does not parse, so no statement-level summary.']);
    expect(describePolicyChange(change(doc([root], { Id: 'key-default-1' }), doc([root], { Id: 'key-consolepolicy-3' })))).toEqual(['Id key-default-1 → key-consolepolicy-3']);
  });

  it('counts a public Allow as everyone gained', () => {
    const c = change(doc([root]), doc([root, allow('Public', '*', 'kms:Encrypt')]));
    expect(c.principalsGained).toEqual(['everyone (*)']);
  });
});
