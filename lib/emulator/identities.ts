/**
 * Emulated IAM: the identities that can call the emulator, each with an access key, the account it
 * belongs to and its identity (IAM) policies. The defaults are the demo account's people and roles.
 */
export interface Identity {
  accountId: string;
  /** The principal ARN policies see: an IAM user, or an assumed-role session of a role. */
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** IAM policy documents (JSON) attached to the user or role. */
  policies: string[];
  /** One line for people choosing whom to act as. */
  description: string;
  /**
   * The caller is this AWS service principal itself (`logs.us-east-1.amazonaws.com` writing its encrypted
   * logs): key policies and grants see the service, and no IAM policy applies to it. `arn` is then the service name.
   */
  service?: string;
  /**
   * These credentials stand for requests an AWS service makes on the principal's behalf (forward access
   * sessions): every request carries kms:ViaService with this value (`ec2.us-east-1.amazonaws.com`), and
   * CreateGrant, ListGrants and RevokeGrant carry kms:GrantIsForAWSResource true (conditions-kms.html).
   */
  viaService?: string;
}

export const DEMO_ACCOUNT = '111122223333';
export const PARTNER_ACCOUNT = '444455556666';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** AWS's AdministratorAccess managed policy. */
export const ADMINISTRATOR_ACCESS = policy({ Effect: 'Allow', Action: '*', Resource: '*' });

/** What the AWS console's default key policy gives "key administrators" (key-policy-default.html). */
export const KEY_ADMINISTRATOR_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*',
  'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];
/** …and "key users". */
export const KEY_USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

const SECURITY_ADMIN_POLICY = policy({ Effect: 'Allow', Action: [...KEY_ADMINISTRATOR_ACTIONS, 'cloudtrail:LookupEvents'], Resource: '*' });
const APPLICATION_POLICY = policy({ Effect: 'Allow', Action: [...KEY_USER_ACTIONS, 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:GetPublicKey'], Resource: '*' });

export const DEFAULT_IDENTITIES: Identity[] = [
  {
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/admin`,
    accessKeyId: 'test',
    secretAccessKey: 'test',
    policies: [ADMINISTRATOR_ACCESS],
    description: 'Administrator (AdministratorAccess): the LocalStack-style test/test keys',
  },
  {
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/security-admin/keydeck`,
    accessKeyId: 'AKIASECURITYADMIN01',
    secretAccessKey: 'security-admin-secret',
    policies: [SECURITY_ADMIN_POLICY],
    description: 'Security administrator role: manages keys and policies, cannot use keys',
  },
  {
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/app/keydeck`,
    accessKeyId: 'AKIAAPPLICATION0001',
    secretAccessKey: 'application-secret',
    policies: [APPLICATION_POLICY],
    description: 'Application role: uses keys for encryption and signing',
  },
  {
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:iam::${DEMO_ACCOUNT}:user/auditor`,
    accessKeyId: 'AKIAAUDITOR00000001',
    secretAccessKey: 'auditor-secret',
    policies: [policy({ Effect: 'Allow', Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'cloudtrail:LookupEvents'], Resource: '*' })],
    description: 'Read-only auditor',
  },
  {
    accountId: PARTNER_ACCOUNT,
    arn: `arn:aws:iam::${PARTNER_ACCOUNT}:user/admin`,
    accessKeyId: 'partner',
    secretAccessKey: 'partner',
    policies: [ADMINISTRATOR_ACCESS],
    description: 'Administrator of the partner account, for cross-account use',
  },
];

/**
 * An IAM role that STS AssumeRole can hand out sessions of. The trust list is the role's trust policy
 * in short: principal ARNs, or `arn:aws:iam::<account>:root` for "any principal of that account whose
 * IAM policies allow sts:AssumeRole on this role" — evaluated by lib/policy as AWS evaluates one.
 */
export interface Role {
  accountId: string;
  /** `arn:aws:iam::<account>:role/<name>`. */
  arn: string;
  /** IAM policy documents (JSON) attached to the role; its sessions act with these. */
  policies: string[];
  trustedPrincipals: string[];
  /** The longest session AssumeRole grants, in seconds (IAM's default: 3600). */
  maxSessionDuration: number;
  description: string;
}

/** The roles of the demo accounts. `keydeck-console` lets the demo account's admin manage the partner account's keys. */
export const DEFAULT_ROLES: Role[] = [
  {
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:iam::${DEMO_ACCOUNT}:role/security-admin`,
    policies: [SECURITY_ADMIN_POLICY],
    trustedPrincipals: [`arn:aws:iam::${DEMO_ACCOUNT}:root`],
    maxSessionDuration: 3600,
    description: 'Security administrator role: manages keys and policies, cannot use keys',
  },
  {
    accountId: DEMO_ACCOUNT,
    arn: `arn:aws:iam::${DEMO_ACCOUNT}:role/app`,
    policies: [APPLICATION_POLICY],
    trustedPrincipals: [`arn:aws:iam::${DEMO_ACCOUNT}:root`],
    maxSessionDuration: 3600,
    description: 'Application role: uses keys for encryption and signing',
  },
  {
    accountId: PARTNER_ACCOUNT,
    arn: `arn:aws:iam::${PARTNER_ACCOUNT}:role/keydeck-console`,
    policies: [policy({ Effect: 'Allow', Action: ['kms:*', 'cloudtrail:LookupEvents'], Resource: '*' })],
    trustedPrincipals: [`arn:aws:iam::${DEMO_ACCOUNT}:root`],
    maxSessionDuration: 43200,
    description: "Keydeck's console role in the partner account, trusted by the demo account",
  },
];

/** The default identity whose ARN contains `arnPart` (`'assumed-role/app'`, `'user/auditor'` …); throws if there is none. */
export function demoIdentity(arnPart: string): Identity {
  const identity = DEFAULT_IDENTITIES.find((i) => i.arn.includes(arnPart));
  if (!identity) throw new Error(`The demo identities have no ${arnPart}`);
  return identity;
}
