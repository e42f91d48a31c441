import { describe, expect, it } from 'vitest';
import { buildConsolePolicy, PERSISTENT_RESOURCES_SID, USERS_SID } from './default-view';
import { evaluate } from './evaluate';
import { parsePolicy } from './parse';

const account = '111122223333';
const keyArn = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const admin = `arn:aws:iam::${account}:role/security-admin`;
const app = `arn:aws:iam::${account}:role/application`;

describe('buildConsolePolicy', () => {
  it('with no administrators or users gives only the account root statement, which parses', () => {
    const policy = buildConsolePolicy({ account, administrators: [], users: [], allowGrantsForAwsResources: true, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' });
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['Enable IAM User Permissions']);
    expect(parsePolicy(JSON.stringify(policy)).ok).toBe(true);
  });

  it('gives symmetric key users data keys and grants for AWS resources behind GrantIsForAWSResource', () => {
    const policy = buildConsolePolicy({ account, administrators: [admin], users: [app, app], allowGrantsForAwsResources: true, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' });
    const users = policy.Statement.find((s) => s.Sid === USERS_SID);
    expect(users?.Principal).toEqual({ AWS: app });
    expect(users?.Action).toContain('kms:GenerateDataKey*');
    expect(policy.Statement.find((s) => s.Sid === PERSISTENT_RESOURCES_SID)?.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it('gives signing key users Sign and GetPublicKey and no grant statement', () => {
    const policy = buildConsolePolicy({ account, administrators: [], users: [app], allowGrantsForAwsResources: true, keyUsage: 'SIGN_VERIFY', keySpec: 'ECC_NIST_P256' });
    expect(policy.Statement.find((s) => s.Sid === USERS_SID)?.Action).toEqual(['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']);
    expect(policy.Statement.some((s) => s.Sid === PERSISTENT_RESOURCES_SID)).toBe(false);
  });

  it('lets an administrator manage but not use the key, and a user use but not manage it', () => {
    const text = JSON.stringify(buildConsolePolicy({ account, administrators: [admin], users: [app], allowGrantsForAwsResources: false, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' }));
    const parsed = parsePolicy(text);
    if (!parsed.ok) throw new Error('policy did not parse');
    const decide = (principalArn: string, action: string) =>
      evaluate({ keyPolicy: parsed.policy, identityPolicies: [], principal: { arn: principalArn, account }, action, resource: keyArn, keyAccount: account, context: {} }).decision;
    expect(decide(admin, 'kms:PutKeyPolicy')).toBe('Allow');
    expect(decide(admin, 'kms:Decrypt')).not.toBe('Allow');
    expect(decide(app, 'kms:Decrypt')).toBe('Allow');
    expect(decide(app, 'kms:ScheduleKeyDeletion')).not.toBe('Allow');
  });
});
