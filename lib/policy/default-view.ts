/**
 * The AWS console's "default view" of a key policy: the account root statement, key administrators,
 * key users and (for symmetric encryption keys) grants for AWS resources. `buildConsolePolicy` writes the
 * policy the create-key wizard and the policy editor's default view produce, statement for statement as
 * the AWS console does (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */

export const ROOT_STATEMENT_SID = 'Enable IAM User Permissions';
export const ADMINISTRATORS_SID = 'Allow access for Key Administrators';
export const USERS_SID = 'Allow use of the key';
export const PERSISTENT_RESOURCES_SID = 'Allow attachment of persistent resources';

/** What key administrators may do: manage the key, never use it. */
export const ADMINISTRATOR_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

export type ConsoleKeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';

/** What key users may do, by the key's usage; symmetric and asymmetric encryption keys differ. */
export function userActions(usage: ConsoleKeyUsage, keySpec: string): string[] {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return keySpec === 'SYMMETRIC_DEFAULT'
        ? ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']
        : ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'];
    case 'SIGN_VERIFY':
      return ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'];
    case 'GENERATE_VERIFY_MAC':
      return ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'];
    case 'KEY_AGREEMENT':
      return ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:DeriveSharedSecret'];
  }
}

/** AWS services integrate through grants only with symmetric encryption keys. */
export function supportsGrantsForAwsResources(usage: ConsoleKeyUsage, keySpec: string): boolean {
  return usage === 'ENCRYPT_DECRYPT' && keySpec === 'SYMMETRIC_DEFAULT';
}

export interface ConsolePolicyView {
  /** The account that owns the key; its root gets `kms:*` so IAM policies apply (and the key cannot be orphaned). */
  account: string;
  /** ARNs of the IAM users and roles that administer the key. */
  administrators: string[];
  /** ARNs of users, roles, or other accounts' roots that use the key. */
  users: string[];
  /** Lets key users create grants for AWS resources (EBS, RDS …); only for symmetric encryption keys. */
  allowGrantsForAwsResources: boolean;
  keyUsage: ConsoleKeyUsage;
  keySpec: string;
}

export interface PolicyStatementJson {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: '*';
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Id: string;
  Statement: PolicyStatementJson[];
}

const principal = (arns: string[]): { AWS: string | string[] } => ({ AWS: arns.length === 1 ? arns[0] : [...arns] });

/** The policy the AWS console would write for `view`; a statement is left out when it has no principal. */
export function buildConsolePolicy(view: ConsolePolicyView): PolicyDocumentJson {
  const statements: PolicyStatementJson[] = [
    { Sid: ROOT_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${view.account}:root` }, Action: 'kms:*', Resource: '*' },
  ];
  const administrators = [...new Set(view.administrators)];
  const users = [...new Set(view.users)];
  if (administrators.length > 0) {
    statements.push({ Sid: ADMINISTRATORS_SID, Effect: 'Allow', Principal: principal(administrators), Action: [...ADMINISTRATOR_ACTIONS], Resource: '*' });
  }
  if (users.length > 0) {
    statements.push({ Sid: USERS_SID, Effect: 'Allow', Principal: principal(users), Action: userActions(view.keyUsage, view.keySpec), Resource: '*' });
    if (view.allowGrantsForAwsResources && supportsGrantsForAwsResources(view.keyUsage, view.keySpec)) {
      statements.push({
        Sid: PERSISTENT_RESOURCES_SID,
        Effect: 'Allow',
        Principal: principal(users),
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
    }
  }
  return { Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements };
}
