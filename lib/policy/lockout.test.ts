/**
 * The key policy lockout safety check: "the key policy must allow the principal that is making the PutKeyPolicy
 * request to make a subsequent PutKeyPolicy request on the KMS key".
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html
 */
import { describe, expect, it } from 'vitest';
import { wouldLockOut } from './lockout';
import { ACCOUNT, ALICE, APP_ROLE, APP_SESSION, BOB, KEY_ARN, OTHER_ACCOUNT, OTHER_ROOT, OTHER_USER, ROOT, defaultKeyPolicyDoc, identityPolicy, policy } from './test-support';

const alice = { arn: ALICE, account: ACCOUNT };
const adminIam = identityPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
const keyPolicy = (...statements: Record<string, unknown>[]) => policy({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', Resource: '*', ...s })) });

describe('wouldLockOut', () => {
  it('is false for the default key policy when the caller has IAM permission', () => {
    expect(wouldLockOut(policy(defaultKeyPolicyDoc()), alice, [adminIam], KEY_ARN)).toBe(false);
  });

  it('is true for the default key policy when the caller has no IAM permission for PutKeyPolicy', () => {
    const onlyEncrypt = identityPolicy({ Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] });
    expect(wouldLockOut(policy(defaultKeyPolicyDoc()), alice, [onlyEncrypt], KEY_ARN)).toBe(true);
  });

  it('is true when the new policy names only someone else', () => {
    expect(wouldLockOut(keyPolicy({ Principal: { AWS: BOB }, Action: 'kms:*' }), alice, [adminIam], KEY_ARN)).toBe(true);
  });

  it('is false when the new policy names the caller for kms:PutKeyPolicy, even without IAM policies', () => {
    expect(wouldLockOut(keyPolicy({ Principal: { AWS: ALICE }, Action: 'kms:PutKeyPolicy' }), alice, [], KEY_ARN)).toBe(false);
  });

  it('is false when the policy allows kms:Put* to the role the caller is a session of', () => {
    const session = { arn: APP_SESSION, account: ACCOUNT };
    expect(wouldLockOut(keyPolicy({ Principal: { AWS: APP_ROLE }, Action: ['kms:Put*', 'kms:Get*'] }), session, [], KEY_ARN)).toBe(false);
  });

  it('is true when the new policy denies kms:PutKeyPolicy to everyone', () => {
    const p = keyPolicy({ Principal: { AWS: ROOT }, Action: 'kms:*' }, { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy' });
    expect(wouldLockOut(p, alice, [adminIam], KEY_ARN)).toBe(true);
  });

  it('is true when the caller keeps only administration actions other than PutKeyPolicy', () => {
    const p = keyPolicy({ Principal: { AWS: ALICE }, NotAction: 'kms:PutKeyPolicy' });
    expect(wouldLockOut(p, alice, [], KEY_ARN)).toBe(true);
  });

  it('evaluates with an empty context, so a condition on a request key such as aws:SourceIp is not met', () => {
    const p = keyPolicy({ Principal: { AWS: ALICE }, Action: 'kms:*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    expect(wouldLockOut(p, alice, [], KEY_ARN)).toBe(true);
  });

  it('still knows who the caller is, so kms:CallerAccount conditions work', () => {
    const p = keyPolicy({ Principal: '*', Action: 'kms:*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } });
    expect(wouldLockOut(p, alice, [], KEY_ARN)).toBe(false);
  });

  it('is false for the account root user under the default key policy', () => {
    expect(wouldLockOut(policy(defaultKeyPolicyDoc()), { arn: ROOT, account: ACCOUNT }, [], KEY_ARN)).toBe(false);
  });

  it('applies the cross-account rule to a caller from another account', () => {
    const p = keyPolicy({ Principal: { AWS: [ROOT, OTHER_ROOT] }, Action: 'kms:*' });
    const carol = { arn: OTHER_USER, account: OTHER_ACCOUNT };
    expect(wouldLockOut(p, carol, [adminIam], KEY_ARN)).toBe(false);
    expect(wouldLockOut(p, carol, [], KEY_ARN)).toBe(true);
  });
});
