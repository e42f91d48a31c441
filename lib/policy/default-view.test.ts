import { describe, expect, it } from 'vitest';
import { buildConsolePolicy, PERSISTENT_RESOURCES_SID, readConsoleView, USERS_SID, writeConsoleView, type ConsolePolicyView } from './default-view';
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

const parsed = (doc: unknown) => {
  const result = parsePolicy(JSON.stringify(doc, null, 2));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.policy;
};
const partnerRoot = 'arn:aws:iam::444455556666:root';

describe('readConsoleView', () => {
  const symmetric = { keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' } as const;

  it.each([
    { name: 'administrators, users of two accounts and grants', administrators: [admin], users: [app, partnerRoot], allowGrantsForAwsResources: true },
    { name: 'users without grants', administrators: [], users: [app], allowGrantsForAwsResources: false },
    { name: 'only the account root', administrators: [], users: [], allowGrantsForAwsResources: false },
  ])('round-trips $name through buildConsolePolicy', ({ administrators, users, allowGrantsForAwsResources }) => {
    const view: ConsolePolicyView = { account, administrators, users, allowGrantsForAwsResources, ...symmetric };
    const reading = readConsoleView(parsed(buildConsolePolicy(view)), { account, ...symmetric });
    expect(reading).toEqual({ administrators, users, allowGrantsForAwsResources, rootStatement: true, custom: [] });
  });

  it('round-trips a signing key, whose users get Sign and Verify', () => {
    const view: ConsolePolicyView = { account, administrators: [admin], users: [app], allowGrantsForAwsResources: false, keyUsage: 'SIGN_VERIFY', keySpec: 'ECC_NIST_P256' };
    expect(readConsoleView(parsed(buildConsolePolicy(view)), { account, keyUsage: 'SIGN_VERIFY', keySpec: 'ECC_NIST_P256' })).toMatchObject({ administrators: [admin], users: [app], custom: [] });
  });

  it('lists statements it cannot represent as custom, with the reason, and keeps them when the view is written back', () => {
    const view: ConsolePolicyView = { account, administrators: [admin], users: [app], allowGrantsForAwsResources: true, ...symmetric };
    const doc = buildConsolePolicy(view) as unknown as { Statement: object[] };
    const deny = { Sid: 'NoDeletion', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' };
    const contextUse = { Sid: 'Reports', Effect: 'Allow', Principal: { AWS: app }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'reports' } } };
    const original = { ...doc, Statement: [...doc.Statement, deny, contextUse] };
    const reading = readConsoleView(parsed(original), { account, ...symmetric });
    expect(reading.administrators).toEqual([admin]);
    expect(reading.custom).toEqual([
      { index: 4, sid: 'NoDeletion', reason: 'a Deny statement' },
      { index: 5, sid: 'Reports', reason: expect.stringContaining('differ') },
    ]);

    const rewritten = writeConsoleView(original, reading.custom, { ...view, administrators: [admin, app] }) as { Statement: { Sid: string }[] };
    expect(rewritten.Statement.map((s) => s.Sid)).toEqual(['Enable IAM User Permissions', 'Allow access for Key Administrators', USERS_SID, PERSISTENT_RESOURCES_SID, 'NoDeletion', 'Reports']);
    expect(readConsoleView(parsed(rewritten), { account, ...symmetric })).toMatchObject({ administrators: [admin, app], users: [app], allowGrantsForAwsResources: true });
  });

  it('treats a grants statement for principals other than the users as custom', () => {
    const doc = buildConsolePolicy({ account, administrators: [], users: [app], allowGrantsForAwsResources: true, ...symmetric }) as unknown as { Statement: { Principal: unknown }[] };
    doc.Statement[2].Principal = { AWS: admin };
    const reading = readConsoleView(parsed(doc), { account, ...symmetric });
    expect(reading.allowGrantsForAwsResources).toBe(false);
    expect(reading.custom.map((c) => c.sid)).toEqual([PERSISTENT_RESOURCES_SID]);
  });
});
