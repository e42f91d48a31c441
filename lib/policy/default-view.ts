/**
 * The AWS console's "default view" of a key policy: the account root statement, key administrators,
 * key users and (for symmetric encryption keys) grants for AWS resources. `buildConsolePolicy` writes the
 * policy the create-key wizard and the policy editor's default view produce, statement for statement as
 * the AWS console does (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
import type { PolicyDocument, Statement } from './types';

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

/** A statement the default view cannot show; the editor lists it as a custom statement, edited in JSON. */
export interface CustomStatement {
  index: number;
  sid?: string;
  reason: string;
}

/** What the default view makes of a policy: the console's roles, and the statements outside them. */
export interface ConsoleViewReading {
  administrators: string[];
  users: string[];
  allowGrantsForAwsResources: boolean;
  /** Whether the account root statement ("Enable IAM User Permissions") is there. */
  rootStatement: boolean;
  custom: CustomStatement[];
}

const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

const sameSet = (a: readonly string[] | undefined, b: readonly string[]) => {
  if (!a) return false;
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((s) => y.has(s));
};

/**
 * Recognises, statement by statement, a policy written the way `buildConsolePolicy` writes it: the
 * account root statement, key administrators, key users and the grants option. Any other statement
 * (or a second one of a kind) is reported in `custom` with the reason.
 */
export function readConsoleView(policy: PolicyDocument, options: { account: string; keyUsage: ConsoleKeyUsage; keySpec: string }): ConsoleViewReading {
  const reading: ConsoleViewReading = { administrators: [], users: [], allowGrantsForAwsResources: false, rootStatement: false, custom: [] };
  const root = `arn:aws:iam::${options.account}:root`;
  const usersActions = userActions(options.keyUsage, options.keySpec);
  let sawAdmins = false;
  let sawUsers = false;
  let grantPrincipals: string[] | undefined;
  let grantStatement: Statement | undefined;
  const custom = (s: Statement, reason: string) => reading.custom.push({ index: s.index, ...(s.sid !== undefined ? { sid: s.sid } : {}), reason });

  for (const s of policy.statements) {
    const plain =
      s.effect === 'Allow' &&
      s.principal &&
      !s.principal.wildcard &&
      s.principal.aws.length > 0 &&
      s.principal.service.length === 0 &&
      s.principal.federated.length === 0 &&
      s.action &&
      s.resource?.length === 1 &&
      s.resource[0] === '*';
    if (!plain) {
      custom(s, s.effect === 'Deny' ? 'a Deny statement' : 'not a plain Allow of AWS principals on "Resource": "*"');
      continue;
    }
    const aws = s.principal!.aws;
    if (s.conditions.length === 0 && aws.length === 1 && (aws[0] === root || aws[0] === options.account) && sameSet(s.action, ['kms:*']) && !reading.rootStatement) {
      reading.rootStatement = true;
    } else if (s.conditions.length === 0 && sameSet(s.action, ADMINISTRATOR_ACTIONS) && !sawAdmins) {
      sawAdmins = true;
      reading.administrators = [...aws];
    } else if (s.conditions.length === 0 && sameSet(s.action, usersActions) && !sawUsers) {
      sawUsers = true;
      reading.users = [...aws];
    } else if (
      sameSet(s.action, GRANT_ACTIONS) &&
      s.conditions.length === 1 &&
      s.conditions[0].base === 'Bool' &&
      !s.conditions[0].set &&
      !s.conditions[0].ifExists &&
      s.conditions[0].key.toLowerCase() === 'kms:grantisforawsresource' &&
      s.conditions[0].values.length === 1 &&
      s.conditions[0].values[0].toLowerCase() === 'true' &&
      !grantStatement
    ) {
      grantStatement = s;
      grantPrincipals = [...aws];
    } else {
      custom(s, 'its actions, principals or conditions differ from the console’s administrator, user and grant statements');
    }
  }
  if (grantStatement) {
    if (sawUsers && sameSet(grantPrincipals, reading.users) && supportsGrantsForAwsResources(options.keyUsage, options.keySpec)) reading.allowGrantsForAwsResources = true;
    else custom(grantStatement, 'it lets principals other than the key users create grants for AWS resources');
  }
  reading.custom.sort((a, b) => a.index - b.index);
  return reading;
}

/**
 * Writes `view` back into a policy: the console's statements from `buildConsolePolicy`, followed by the
 * original policy's custom statements unchanged. `original` is the policy as JSON (JSON.parse of its text).
 */
export function writeConsoleView(original: unknown, custom: readonly CustomStatement[], view: ConsolePolicyView): Record<string, unknown> {
  const built = buildConsolePolicy(view);
  const source = (original && typeof original === 'object' ? original : {}) as Record<string, unknown>;
  const list = Array.isArray(source.Statement) ? source.Statement : source.Statement && typeof source.Statement === 'object' ? [source.Statement] : [];
  const kept = custom.map((c) => list[c.index]).filter((s) => s !== undefined);
  return { Version: built.Version, Id: typeof source.Id === 'string' ? source.Id : built.Id, Statement: [...built.Statement, ...kept] };
}
