import { describe, expect, it } from 'vitest';
import { buildConsolePolicy } from './default-view';
import { lintPolicyText, type LintRule } from './lint';
import { ACCOUNT, ALICE, APP_ROLE, OTHER_ACCOUNT, OTHER_ROLE, ROOT, defaultKeyPolicyDoc } from './test-support';

type Json = Record<string, unknown>;
const rootStatement = defaultKeyPolicyDoc().Statement[0];
const doc = (...statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: [rootStatement, ...statements] }, null, 2);
const allow = (principal: unknown, action: unknown, extra: Json = {}): Json => ({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra });
const lint = (text: string) => lintPolicyText(text, { keyAccount: ACCOUNT });
const rules = (text: string) => lint(text).findings.map((f) => f.rule);
const find = (text: string, rule: LintRule) => lint(text).findings.filter((f) => f.rule === rule);

describe('lint', () => {
  it('finds nothing wrong with the AWS default key policy or the console policy with administrators', () => {
    expect(rules(JSON.stringify(defaultKeyPolicyDoc()))).toEqual([]);
    const consolePolicy = buildConsolePolicy({ account: ACCOUNT, administrators: [ALICE], users: [], allowGrantsForAwsResources: true, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' });
    expect(rules(JSON.stringify(consolePolicy))).toEqual([]);
  });

  it('public access: flags "Principal": "*" without a limiting condition, at the Principal line', () => {
    const text = doc(allow('*', 'kms:Encrypt', { Sid: 'Everyone' }));
    const [f] = find(text, 'public-access');
    expect(f).toMatchObject({ severity: 'error', statement: { index: 1, sid: 'Everyone' } });
    expect(text.split('\n')[f.line - 1]).toContain('"Principal"');
    expect(f.why).toBeTruthy();
    expect(f.fix).toContain('kms:CallerAccount');
    expect(find(doc(allow({ AWS: '*' }, 'kms:Encrypt')), 'public-access')).toHaveLength(1);
  });

  it('public access: accepts "*" limited by kms:CallerAccount or aws:PrincipalOrgID, but not by a negated or IfExists test', () => {
    expect(find(doc(allow('*', 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })), 'public-access')).toEqual([]);
    expect(find(doc(allow('*', 'kms:Encrypt', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })), 'public-access')).toEqual([]);
    expect(find(doc(allow('*', 'kms:Encrypt', { Condition: { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } } })), 'public-access')).toHaveLength(1);
    expect(find(doc(allow('*', 'kms:Encrypt', { Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })), 'public-access')).toHaveLength(1);
  });

  it('cross-account: names the other accounts; same-account principals are not flagged', () => {
    const [f] = find(doc(allow({ AWS: [OTHER_ROLE, `arn:aws:iam::999988887777:root`] }, 'kms:Encrypt')), 'cross-account');
    expect(f.message).toContain(OTHER_ACCOUNT);
    expect(f.message).toContain('999988887777');
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt')), 'cross-account')).toEqual([]);
  });

  it('lockout risk: a policy where no one in the account may call PutKeyPolicy', () => {
    const noAdmin = JSON.stringify({ Version: '2012-10-17', Statement: [allow({ AWS: APP_ROLE }, ['kms:Encrypt', 'kms:Decrypt'])] });
    expect(find(noAdmin, 'lockout-risk')).toMatchObject([{ severity: 'error' }]);
    const conditionalAdmin = JSON.stringify({ Version: '2012-10-17', Statement: [allow({ AWS: ROOT }, 'kms:*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })] });
    expect(find(conditionalAdmin, 'lockout-risk')).toHaveLength(1);
    const denyAll = doc({ Sid: 'Freeze', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' });
    expect(find(denyAll, 'lockout-risk')[0].message).toContain('Freeze');
  });

  it('lockout risk: not raised when an administrator of the account may call kms:Put*', () => {
    const admin = JSON.stringify({ Version: '2012-10-17', Statement: [allow({ AWS: ALICE }, ['kms:Put*', 'kms:Describe*'])] });
    expect(find(admin, 'lockout-risk')).toEqual([]);
  });

  it('kms:* to a non-administrator is flagged; kms:* to the account root is not', () => {
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:*')), 'kms-star-non-admin')[0].message).toContain(APP_ROLE);
    expect(find(JSON.stringify(defaultKeyPolicyDoc()), 'kms-star-non-admin')).toEqual([]);
  });

  it('kms:Decrypt without an encryption-context or kms:ViaService condition is flagged; with one it is not', () => {
    expect(find(doc(allow({ AWS: APP_ROLE }, ['kms:Decrypt'])), 'decrypt-unconstrained')).toMatchObject([{ severity: 'info' }]);
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:app': 'orders' } } })), 'decrypt-unconstrained')).toEqual([]);
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })), 'decrypt-unconstrained')).toEqual([]);
  });

  it('unknown actions: a misspelt kms action and a non-KMS action, each at its own line', () => {
    const text = doc(allow({ AWS: APP_ROLE }, ['kms:Encrypt', 'kms:Decrypty', 's3:GetObject']));
    const found = find(text, 'unknown-action');
    expect(found.map((f) => f.message)).toEqual(['kms:Decrypty is not a KMS action.', 's3:GetObject is not a KMS action: it never applies to a KMS key.']);
    expect(text.split('\n')[found[0].line - 1]).toContain('kms:Decrypty');
    expect(find(doc(allow({ AWS: APP_ROLE }, ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:ReEncryptFrom'])), 'unknown-action')).toEqual([]);
  });

  it('unknown condition keys are flagged; KMS keys, kms:EncryptionContext:* and aws: global keys are not', () => {
    const [f] = find(doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContex:app': 'x' } } })), 'unknown-condition-key');
    expect(f.message).toContain('kms:EncryptionContex:app');
    expect(
      find(doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:app': 'x', 'kms:CallerAccount': ACCOUNT, 'aws:PrincipalTag/team': 'a' } } })), 'unknown-condition-key'),
    ).toEqual([]);
  });

  it('NotPrincipal and NotAction with Allow are flagged; with Deny they are not', () => {
    expect(find(doc({ Effect: 'Allow', NotPrincipal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*' }), 'negated-allow')).toMatchObject([{ severity: 'error' }]);
    expect(find(doc({ Effect: 'Allow', Principal: { AWS: APP_ROLE }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }), 'negated-allow')).toMatchObject([{ severity: 'warning' }]);
    expect(find(doc({ Effect: 'Deny', NotPrincipal: { AWS: [ROOT, ALICE] }, Action: 'kms:Decrypt', Resource: '*' }), 'negated-allow')).toEqual([]);
  });

  it('duplicate Sids are found even though the policy does not parse', () => {
    const text = doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Sid: 'Use' }), allow({ AWS: ALICE }, 'kms:Encrypt', { Sid: 'Use' }));
    const result = lint(text);
    expect(result.result.ok).toBe(false);
    expect(result.findings.filter((f) => f.rule === 'duplicate-sid')).toMatchObject([{ statement: { index: 2, sid: 'Use' } }]);
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Sid: 'Use' }), allow({ AWS: ALICE }, 'kms:Encrypt', { Sid: 'Use2' })), 'duplicate-sid')).toEqual([]);
  });

  it('a Resource other than "*" is flagged', () => {
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/abc` })), 'resource-not-star')).toHaveLength(1);
    expect(find(doc({ Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: 'kms:Encrypt' }), 'resource-not-star')).toHaveLength(1);
    expect(find(doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt')), 'resource-not-star')).toEqual([]);
  });

  it('conditions that never match: NumericLessThan 0, Null true with a value test, contradictory StringEquals, a non-number', () => {
    const lessThanZero = doc(allow({ AWS: APP_ROLE }, 'kms:ScheduleKeyDeletion', { Condition: { NumericLessThan: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 0 } } }));
    expect(find(lessThanZero, 'never-matches')).toHaveLength(1);
    const nullAndValue = doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Condition: { Null: { 'kms:EncryptionContext:app': 'true' }, StringEquals: { 'kms:EncryptionContext:app': 'orders' } } }));
    expect(find(nullAndValue, 'never-matches')[0].message).toContain('Null true');
    const contradictory = doc(
      allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT }, StringEqualsIgnoreCase: { 'kms:CallerAccount': OTHER_ACCOUNT } } }),
    );
    expect(find(contradictory, 'never-matches')).toHaveLength(1);
    const notANumber = doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'soon' } } }));
    expect(find(notANumber, 'never-matches')).toHaveLength(1);
  });

  it('conditions that can match are not flagged', () => {
    const fine = doc(
      allow({ AWS: APP_ROLE }, 'kms:Encrypt', {
        Condition: {
          NumericLessThan: { 'kms:RotationPeriodInDays': 400 },
          Null: { 'kms:EncryptionContext:app': 'false' },
          StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:EncryptionContext:app': 'orders' },
          StringLike: { 'kms:CallerAccount': '1111*' },
        },
      }),
    );
    expect(find(fine, 'never-matches')).toEqual([]);
    const multiValued = doc(allow({ AWS: APP_ROLE }, 'kms:Encrypt', { Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'a' }, StringEquals: { 'kms:EncryptionContextKeys': 'b' } } }));
    expect(find(multiValued, 'never-matches')).toEqual([]);
  });

  it('lints nothing in a document that is not JSON, and sorts errors first', () => {
    expect(lint('{"Version": ').findings).toEqual([]);
    const severities = lint(doc(allow('*', 'kms:Decrypt'), allow({ AWS: OTHER_ROLE }, 'kms:Encrypt'))).findings.map((f) => f.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
  });
});
