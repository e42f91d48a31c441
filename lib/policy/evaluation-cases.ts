/**
 * The policy-evaluation table: outcomes AWS documents, each case citing the page it comes from. Data and
 * small helpers only, shared by evaluate.test.ts (the evaluator alone) and table.agreement.test.ts (the
 * same cases through the emulator, for real, and through the console's simulator).
 * Defaults: alice (111122223333) calls kms:Decrypt on a key in 111122223333 with an empty context.
 */
import {
  ACCOUNT,
  ALICE,
  APP_ROLE,
  APP_SESSION,
  BOB,
  KEY_ARN,
  OTHER_ACCOUNT,
  OTHER_KEY_ARN,
  OTHER_ROLE,
  OTHER_ROOT,
  OTHER_SESSION,
  OTHER_USER,
  ROOT,
  defaultKeyPolicyDoc,
  identityPolicy,
  policy,
} from './test-support';
import { requestConditionKeys } from './request-keys';
import type { AuthorizationRequest, ContextValue, Decision, GrantLike } from './types';

const KMS = 'https://docs.aws.amazon.com/kms/latest/developerguide';
const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';
export const DOC = {
  defaultPolicy: `${KMS}/key-policy-default.html`,
  keyPolicyOverview: `${KMS}/key-policy-overview.html`,
  controlAccess: `${KMS}/control-access.html`,
  externalAccounts: `${KMS}/key-policy-modifying-external-accounts.html`,
  conditionsKms: `${KMS}/conditions-kms.html`,
  grants: `${KMS}/grants.html`,
  grantConstraints: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html',
  evaluation: `${IAM}/reference_policies_evaluation-logic.html`,
  denyAllow: `${IAM}/reference_policies_evaluation-logic_policy-eval-denyallow.html`,
  singleAccount: `${IAM}/reference_policies_evaluation-logic_policy-eval-basics.html`,
  crossAccount: `${IAM}/reference_policies_evaluation-logic-cross-account.html`,
  operators: `${IAM}/reference_policies_elements_condition_operators.html`,
  condition: `${IAM}/reference_policies_elements_condition.html`,
  multiValue: `${IAM}/reference_policies_multi-value-conditions.html`,
  principal: `${IAM}/reference_policies_elements_principal.html`,
  notPrincipal: `${IAM}/reference_policies_elements_notprincipal.html`,
  action: `${IAM}/reference_policies_elements_action.html`,
  notAction: `${IAM}/reference_policies_elements_notaction.html`,
  resource: `${IAM}/reference_policies_elements_resource.html`,
  notResource: `${IAM}/reference_policies_elements_notresource.html`,
  variables: `${IAM}/reference_policies_variables.html`,
  globalKeys: `${IAM}/reference_policies_condition-keys.html`,
} as const;

export type Json = Record<string, unknown>;

/** A key policy statement; Resource "*" means "this key" (key-policy-overview.html). */
export const stmt = (s: Json): Json => ({ Effect: 'Allow', Resource: '*', ...s });
export const keyPolicy = (...statements: Json[]): Json => ({ Version: '2012-10-17', Statement: statements });
export const allowFor = (aws: string | string[], action: string | string[] = 'kms:Decrypt', extra: Json = {}): Json => stmt({ Principal: { AWS: aws }, Action: action, ...extra });
export const iamPolicy = (...statements: Json[]): Json => ({ Version: '2012-10-17', Statement: statements });
export const iamAllow = (action: string | string[] = 'kms:Decrypt', resource: string | string[] = KEY_ARN, extra: Json = {}): Json => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });

/** The console's "key users" pattern plus the default statement, used where a case needs some allow to exist. */
export const aliceMayDecrypt = allowFor(ALICE, 'kms:Decrypt', { Sid: 'AliceDecrypt' });

export interface EvaluationCase {
  name: string;
  doc: string;
  keyPolicy: Json;
  identity?: Json[];
  grants?: GrantLike[];
  action?: string;
  principal?: string;
  account?: string;
  service?: string;
  resource?: string;
  encryptionContext?: Record<string, string>;
  context?: Record<string, ContextValue>;
  expect: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  allowedBy?: Decision['allowedBy'];
  sids?: (string | undefined)[];
  grantId?: string;
}

export const EVALUATION_CASES: EvaluationCase[] = [
  // ---- The default key policy and IAM policies -------------------------------------------------
  {
    name: 'the default key policy alone gives an IAM user nothing: it only enables IAM policies',
    doc: DOC.defaultPolicy,
    keyPolicy: defaultKeyPolicyDoc(),
    expect: 'ImplicitDeny',
  },
  {
    name: 'the default key policy plus an IAM policy allowing kms:Decrypt on the key allows it',
    doc: DOC.defaultPolicy,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow())],
    expect: 'Allow',
    allowedBy: ['key-policy', 'identity-policy'],
    sids: ['Enable IAM User Permissions', undefined],
  },
  {
    name: 'an IAM policy for kms:Encrypt does not allow kms:Decrypt',
    doc: DOC.defaultPolicy,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('kms:Encrypt'))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'an IAM policy naming a different key ARN does not apply to this key',
    doc: DOC.resource,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('kms:Decrypt', OTHER_KEY_ARN))],
    expect: 'ImplicitDeny',
  },
  {
    name: 'an IAM policy with a wildcard key ARN in the account applies to the key',
    doc: DOC.resource,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('kms:Decrypt', `arn:aws:kms:*:${ACCOUNT}:key/*`))],
    expect: 'Allow',
  },
  {
    name: 'an IAM policy with "Action": "*" and "Resource": "*" allows any KMS action when the key policy enables IAM',
    doc: DOC.action,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('*', '*'))],
    action: 'kms:ScheduleKeyDeletion',
    expect: 'Allow',
  },
  {
    name: 'the account principal represents the account root user, which needs no IAM policy',
    doc: DOC.keyPolicyOverview,
    keyPolicy: defaultKeyPolicyDoc(),
    principal: ROOT,
    expect: 'Allow',
    allowedBy: ['key-policy'],
  },
  {
    name: 'the shortened account ID behaves like the account ARN in Principal',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(ACCOUNT, 'kms:*')),
    identity: [iamPolicy(iamAllow())],
    expect: 'Allow',
  },
  {
    name: 'an IAM policy alone is not enough when the key policy does not enable IAM policies',
    doc: DOC.controlAccess,
    keyPolicy: keyPolicy(allowFor(BOB, 'kms:*')),
    identity: [iamPolicy(iamAllow())],
    expect: 'ImplicitDeny',
  },

  // ---- Principals named in the key policy -------------------------------------------------------
  {
    name: 'a user named in the key policy is allowed without any IAM policy',
    doc: DOC.singleAccount,
    keyPolicy: keyPolicy(aliceMayDecrypt),
    expect: 'Allow',
    allowedBy: ['key-policy'],
    sids: ['AliceDecrypt'],
  },
  {
    name: 'a key policy statement for kms:Encrypt does not allow kms:Decrypt',
    doc: DOC.keyPolicyOverview,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Encrypt')),
    expect: 'ImplicitDeny',
  },
  {
    name: 'a statement naming another user does not apply to alice',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(BOB)),
    expect: 'ImplicitDeny',
  },
  {
    name: 'the user name in a Principal ARN is case sensitive',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(`arn:aws:iam::${ACCOUNT}:user/Alice`)),
    expect: 'ImplicitDeny',
  },
  {
    name: 'a role named in the key policy allows its assumed-role sessions',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(APP_ROLE)),
    principal: APP_SESSION,
    expect: 'Allow',
  },
  {
    name: 'a role ARN with a path matches sessions of that role',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(`arn:aws:iam::${ACCOUNT}:role/team/app`)),
    principal: APP_SESSION,
    expect: 'Allow',
  },
  {
    name: 'an assumed-role session principal names one session, not the other sessions of the role',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(`arn:aws:sts::${ACCOUNT}:assumed-role/app/other-session`)),
    principal: APP_SESSION,
    expect: 'ImplicitDeny',
  },
  {
    name: 'an assumed-role session principal allows that session',
    doc: DOC.principal,
    keyPolicy: keyPolicy(allowFor(APP_SESSION)),
    principal: APP_SESSION,
    expect: 'Allow',
  },
  {
    name: 'Principal "*" limited by kms:CallerAccount allows identities of that account',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(stmt({ Principal: { AWS: '*' }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })),
    expect: 'Allow',
  },
  {
    name: 'Principal "*" limited by kms:CallerAccount does not allow another account',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(stmt({ Principal: { AWS: '*' }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } })),
    identity: [iamPolicy(iamAllow())],
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'ImplicitDeny',
  },
  {
    name: 'the EBS pattern needs both kms:CallerAccount and kms:ViaService (conditions are ANDed)',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(
      stmt({
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
      }),
    ),
    expect: 'ImplicitDeny',
  },

  // ---- Explicit deny ------------------------------------------------------------------------
  {
    name: 'an explicit Deny in the key policy overrides an Allow for the same principal',
    doc: DOC.denyAllow,
    keyPolicy: keyPolicy(aliceMayDecrypt, allowFor(ALICE, 'kms:Decrypt', { Sid: 'NoDecrypt', Effect: 'Deny' })),
    expect: 'ExplicitDeny',
    sids: ['NoDecrypt'],
  },
  {
    name: 'an explicit Deny in an IAM policy overrides the IAM allow',
    doc: DOC.denyAllow,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('kms:*', '*'), { Sid: 'DenyDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' })],
    expect: 'ExplicitDeny',
    sids: ['DenyDecrypt'],
  },
  {
    name: 'an explicit Deny in an IAM policy overrides a key policy that names the user',
    doc: DOC.singleAccount,
    keyPolicy: keyPolicy(aliceMayDecrypt),
    identity: [iamPolicy({ Effect: 'Deny', Action: 'kms:*', Resource: '*' })],
    expect: 'ExplicitDeny',
  },
  {
    name: 'a Deny naming the account applies to every identity in the account, not only the root user',
    doc: DOC.principal,
    keyPolicy: keyPolicy(aliceMayDecrypt, allowFor(ROOT, 'kms:Decrypt', { Effect: 'Deny' })),
    expect: 'ExplicitDeny',
  },
  {
    name: 'a Deny on kms:EncryptionContext:Stage=Restricted denies a request with that pair',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(aliceMayDecrypt, stmt({ Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': 'Restricted' } } })),
    encryptionContext: { Stage: 'Restricted' },
    expect: 'ExplicitDeny',
  },
  {
    name: 'the same Deny allows other values of the Stage key, such as Stage=Test',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(aliceMayDecrypt, stmt({ Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': 'Restricted' } } })),
    encryptionContext: { Stage: 'Test' },
    expect: 'Allow',
  },
  {
    name: 'multiple values for one key are ORed: a Deny on Stage Restricted or Production denies Production',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(
      aliceMayDecrypt,
      stmt({ Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': ['Restricted', 'Production'] } } }),
    ),
    encryptionContext: { Stage: 'Production' },
    expect: 'ExplicitDeny',
  },
  {
    name: 'a key policy Deny takes precedence over a grant',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(defaultKeyPolicyDoc().Statement[0], allowFor(ALICE, 'kms:Decrypt', { Effect: 'Deny' })),
    grants: [{ grantId: 'g-1', granteePrincipal: ALICE, operations: ['Decrypt'] }],
    expect: 'ExplicitDeny',
  },

  // ---- Cross-account --------------------------------------------------------------------------
  {
    name: 'another account named in the key policy, plus an IAM policy in that account, allows its user',
    doc: DOC.externalAccounts,
    keyPolicy: keyPolicy(defaultKeyPolicyDoc().Statement[0], allowFor(OTHER_ROOT, ['kms:Encrypt', 'kms:Decrypt'], { Sid: 'External' })),
    identity: [iamPolicy(iamAllow())],
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'Allow',
    allowedBy: ['key-policy', 'identity-policy'],
  },
  {
    name: 'another account named in the key policy is not enough without an IAM policy in that account',
    doc: DOC.externalAccounts,
    keyPolicy: keyPolicy(allowFor(OTHER_ROOT)),
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'ImplicitDeny',
  },
  {
    name: 'an external user named directly in the key policy still needs an IAM policy in its own account',
    doc: DOC.crossAccount,
    keyPolicy: keyPolicy(allowFor(OTHER_USER)),
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'ImplicitDeny',
  },
  {
    name: 'an external user named in the key policy with an IAM policy allowing it is allowed',
    doc: DOC.crossAccount,
    keyPolicy: keyPolicy(allowFor(OTHER_USER)),
    identity: [iamPolicy(iamAllow())],
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'Allow',
  },
  {
    name: "an external IAM policy alone cannot use a key whose policy only enables the owner's IAM",
    doc: DOC.externalAccounts,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow())],
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'ImplicitDeny',
  },
  {
    name: 'an external role session is allowed when the key policy names its role and its IAM policy allows',
    doc: DOC.externalAccounts,
    keyPolicy: keyPolicy(allowFor(OTHER_ROLE)),
    identity: [iamPolicy(iamAllow('kms:Decrypt', '*'))],
    principal: OTHER_SESSION,
    account: OTHER_ACCOUNT,
    expect: 'Allow',
  },
  {
    name: "an external account's IAM policy for a different key does not satisfy the cross-account check",
    doc: DOC.crossAccount,
    keyPolicy: keyPolicy(allowFor(OTHER_ROOT)),
    identity: [iamPolicy(iamAllow('kms:Decrypt', OTHER_KEY_ARN))],
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'ImplicitDeny',
  },
  {
    name: "the root user of an account named in the key policy has its account's full permissions",
    doc: DOC.denyAllow,
    keyPolicy: keyPolicy(allowFor(OTHER_ROOT)),
    principal: OTHER_ROOT,
    account: OTHER_ACCOUNT,
    expect: 'Allow',
  },

  // ---- Encryption context conditions ---------------------------------------------------------------
  ...((): EvaluationCase[] => {
    const appName = keyPolicy(allowFor(APP_ROLE, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: appName, principal: APP_SESSION };
    return [
      { ...base, name: 'StringEquals on kms:EncryptionContext:AppName allows the matching pair', encryptionContext: { AppName: 'ExampleApp', Other: 'x' }, expect: 'Allow' },
      { ...base, name: 'StringEquals on kms:EncryptionContext:AppName refuses another value', encryptionContext: { AppName: 'OtherApp' }, expect: 'ImplicitDeny' },
      { ...base, name: 'StringEquals on kms:EncryptionContext:AppName refuses a request without encryption context', expect: 'ImplicitDeny' },
      { ...base, name: 'the condition value is case sensitive with StringEquals', encryptionContext: { AppName: 'exampleapp' }, expect: 'ImplicitDeny' },
    ];
  })(),
  {
    name: 'the context key inside kms:EncryptionContext:<key> is not case sensitive',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:Appname': 'ExampleApp' } } })),
    encryptionContext: { AppName: 'ExampleApp' },
    expect: 'Allow',
  },
  {
    name: 'StringEqualsIgnoreCase ignores the case of the encryption context value',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEqualsIgnoreCase: { 'kms:EncryptionContext:AppName': 'EXAMPLEAPP' } } })),
    encryptionContext: { AppName: 'ExampleApp' },
    expect: 'Allow',
  },
  ...((): EvaluationCase[] => {
    const both = keyPolicy(allowFor(APP_ROLE, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: both, principal: APP_SESSION };
    return [
      { ...base, name: 'two encryption context keys in one operator are ANDed: both present allows', encryptionContext: { Department: 'IT', Project: 'Alpha' }, expect: 'Allow' },
      { ...base, name: 'two encryption context keys in one operator are ANDed: one missing refuses', encryptionContext: { Department: 'IT' }, expect: 'ImplicitDeny' },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const anyAppName = keyPolicy(allowFor(APP_ROLE, 'kms:Decrypt', { Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: anyAppName, principal: APP_SESSION };
    return [
      { ...base, name: 'ForAnyValue on kms:EncryptionContextKeys allows when one key matches', encryptionContext: { AppName: 'Helper', Project: 'Alpha' }, expect: 'Allow' },
      { ...base, name: 'ForAnyValue on kms:EncryptionContextKeys refuses when no key matches', encryptionContext: { Project: 'Alpha' }, expect: 'ImplicitDeny' },
      { ...base, name: 'ForAnyValue on kms:EncryptionContextKeys refuses a request with no encryption context', expect: 'ImplicitDeny' },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const onlyThese = keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: onlyThese };
    return [
      { ...base, name: 'ForAllValues on kms:EncryptionContextKeys allows when every key is listed', encryptionContext: { Department: 'IT' }, expect: 'Allow' },
      { ...base, name: 'ForAllValues on kms:EncryptionContextKeys refuses an unlisted key', encryptionContext: { Department: 'IT', Stage: 'Test' }, expect: 'ImplicitDeny' },
      { ...base, name: 'ForAllValues on kms:EncryptionContextKeys does not require any encryption context', expect: 'Allow' },
    ];
  })(),
  {
    name: 'ForAllValues on the keys together with a required pair refuses a request without encryption context',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(
      allowFor(ALICE, 'kms:Decrypt', {
        Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] } },
      }),
    ),
    expect: 'ImplicitDeny',
  },
  ...((): EvaluationCase[] => {
    const requireContext = keyPolicy(allowFor(APP_ROLE, 'kms:Decrypt', { Condition: { Null: { 'kms:EncryptionContextKeys': false } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: requireContext, principal: APP_SESSION };
    return [
      { ...base, name: 'Null false on kms:EncryptionContextKeys refuses a request with no encryption context', expect: 'ImplicitDeny' },
      { ...base, name: 'Null false on kms:EncryptionContextKeys allows any encryption context', encryptionContext: { anything: 'goes' }, expect: 'Allow' },
    ];
  })(),

  // ---- kms:ViaService ------------------------------------------------------------------------
  ...((): EvaluationCase[] => {
    const via = keyPolicy(
      allowFor(ALICE, ['kms:Encrypt', 'kms:Decrypt'], { Condition: { StringEquals: { 'kms:ViaService': ['ec2.us-west-2.amazonaws.com', 'rds.us-west-2.amazonaws.com'] } } }),
    );
    const base = { doc: DOC.conditionsKms, keyPolicy: via };
    return [
      { ...base, name: 'kms:ViaService allows a request that comes through a listed service', context: { 'kms:ViaService': 'rds.us-west-2.amazonaws.com' }, expect: 'Allow' },
      { ...base, name: 'kms:ViaService refuses a request through another service', context: { 'kms:ViaService': 'lambda.us-west-2.amazonaws.com' }, expect: 'ImplicitDeny' },
      { ...base, name: 'kms:ViaService refuses a direct call, which has no kms:ViaService', expect: 'ImplicitDeny' },
    ];
  })(),
  {
    name: 'a Deny on kms:ViaService for Lambda does not affect a direct call',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(
      allowFor(ALICE, 'kms:Encrypt'),
      allowFor(ALICE, 'kms:Encrypt', { Effect: 'Deny', Condition: { StringEquals: { 'kms:ViaService': ['lambda.us-west-2.amazonaws.com'] } } }),
    ),
    action: 'kms:Encrypt',
    expect: 'Allow',
  },
  {
    name: 'a Deny on kms:ViaService for Lambda denies a call through Lambda',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(
      allowFor(ALICE, 'kms:Encrypt'),
      allowFor(ALICE, 'kms:Encrypt', { Effect: 'Deny', Condition: { StringEquals: { 'kms:ViaService': ['lambda.us-west-2.amazonaws.com'] } } }),
    ),
    action: 'kms:Encrypt',
    context: { 'kms:ViaService': 'lambda.us-west-2.amazonaws.com' },
    expect: 'ExplicitDeny',
  },

  // ---- Condition operators --------------------------------------------------------------------
  {
    name: 'a negated operator on a missing key is true, so a Deny with StringNotEquals applies',
    doc: DOC.operators,
    keyPolicy: keyPolicy(aliceMayDecrypt, allowFor(ALICE, 'kms:Decrypt', { Effect: 'Deny', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } } })),
    expect: 'ExplicitDeny',
  },
  {
    name: 'a negated operator with several values is a NOR: a listed value is not denied',
    doc: DOC.multiValue,
    keyPolicy: keyPolicy(
      aliceMayDecrypt,
      allowFor(ALICE, 'kms:Decrypt', { Effect: 'Deny', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] } } }),
    ),
    context: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' },
    expect: 'Allow',
  },
  {
    name: '…IfExists is true when the key is missing',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEqualsIfExists: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } } })),
    expect: 'Allow',
  },
  {
    name: '…IfExists still checks the key when it is present',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEqualsIfExists: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } } })),
    context: { 'kms:ViaService': 'lambda.us-west-2.amazonaws.com' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'StringLike matches kms:RequestAlias with a wildcard',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringLike: { 'kms:RequestAlias': 'alias/finance-*' } } })),
    context: { 'kms:RequestAlias': 'alias/finance-reports' },
    expect: 'Allow',
  },
  {
    name: 'Bool allows CreateGrant only for AWS resources when kms:GrantIsForAWSResource is true',
    doc: DOC.keyPolicyOverview,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })),
    action: 'kms:CreateGrant',
    context: { 'kms:GrantIsForAWSResource': true },
    expect: 'Allow',
  },
  {
    name: 'Bool refuses CreateGrant when kms:GrantIsForAWSResource is false',
    doc: DOC.keyPolicyOverview,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })),
    action: 'kms:CreateGrant',
    context: { 'kms:GrantIsForAWSResource': false },
    expect: 'ImplicitDeny',
  },
  {
    name: 'IpAddress allows a source address inside the CIDR block',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
    context: { 'aws:SourceIp': '203.0.113.7' },
    expect: 'Allow',
  },
  {
    name: 'IpAddress refuses a source address outside the CIDR block',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
    context: { 'aws:SourceIp': '198.51.100.1' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'IpAddress matches IPv6 ranges written with ::',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } } })),
    context: { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' },
    expect: 'Allow',
  },
  {
    name: 'a Deny with NotIpAddress denies requests from outside the range',
    doc: DOC.operators,
    keyPolicy: keyPolicy(aliceMayDecrypt, allowFor(ALICE, 'kms:*', { Effect: 'Deny', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
    context: { 'aws:SourceIp': '192.0.2.10' },
    expect: 'ExplicitDeny',
  },
  {
    name: 'DateLessThan on aws:CurrentTime allows before the date',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })),
    context: { 'aws:CurrentTime': new Date('2026-11-01T12:00:00Z') },
    expect: 'Allow',
  },
  {
    name: 'DateLessThan on aws:CurrentTime refuses after the date',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })),
    context: { 'aws:CurrentTime': '2031-02-03T04:05:06Z' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'date values may be given in epoch seconds',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '1767225600' } } })),
    context: { 'aws:CurrentTime': new Date('2026-06-01T00:00:00Z') },
    expect: 'Allow',
  },
  {
    name: 'NumericLessThanEquals bounds kms:RotationPeriodInDays',
    doc: DOC.operators,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:EnableKeyRotation', { Condition: { NumericLessThanEquals: { 'kms:RotationPeriodInDays': '365' } } })),
    action: 'kms:EnableKeyRotation',
    context: { 'kms:RotationPeriodInDays': 730 },
    expect: 'ImplicitDeny',
  },
  // "This type of condition works even when the parameter doesn't appear in the request, such as when you use the parameter's default value."
  {
    name: 'EnableKeyRotation without RotationPeriodInDays is tested as its default, 365 days',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:EnableKeyRotation', { Condition: { NumericLessThanEquals: { 'kms:RotationPeriodInDays': '365' } } })),
    action: 'kms:EnableKeyRotation',
    expect: 'Allow',
  },
  ...((): EvaluationCase[] => {
    // AWS's example SCP "Enforce 30 days for KMS deletion", as an Allow: the window must be the longest, 30 days.
    const thirtyDays = keyPolicy(allowFor(ALICE, 'kms:ScheduleKeyDeletion', { Condition: { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '30' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: thirtyDays, action: 'kms:ScheduleKeyDeletion' };
    return [
      { ...base, name: 'ScheduleKeyDeletion without PendingWindowInDays is tested as its default, 30 days', expect: 'Allow' },
      { ...base, name: 'kms:ScheduleKeyDeletionPendingWindowInDays refuses a shorter window', context: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 }, expect: 'ImplicitDeny' },
    ];
  })(),
  {
    name: 'Encrypt without EncryptionAlgorithm is tested as SYMMETRIC_DEFAULT, its default',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } })),
    action: 'kms:Encrypt',
    expect: 'Allow',
  },
  {
    name: 'a Deny unless kms:EncryptionAlgorithm is SYMMETRIC_DEFAULT does not refuse GenerateDataKey, which always uses it',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(
      allowFor(ALICE, 'kms:GenerateDataKey'),
      stmt({ Sid: 'AllowOnlySymmetricAlgorithm', Effect: 'Deny', Principal: { AWS: ALICE }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } }),
    ),
    action: 'kms:GenerateDataKey',
    expect: 'Allow',
  },
  ...((): EvaluationCase[] => {
    const kmsMaterialOnly = keyPolicy(allowFor(ALICE, 'kms:DescribeKey', { Condition: { StringEquals: { 'kms:KeyOrigin': 'AWS_KMS' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: kmsMaterialOnly, action: 'kms:DescribeKey' };
    return [
      { ...base, name: 'kms:KeyOrigin allows a request on a key whose material KMS made', context: { 'kms:KeyOrigin': 'AWS_KMS' }, expect: 'Allow' },
      { ...base, name: 'kms:KeyOrigin refuses a request on a key for imported material', context: { 'kms:KeyOrigin': 'EXTERNAL' }, expect: 'ImplicitDeny' },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const signingOnly = keyPolicy(allowFor(ALICE, ['kms:DescribeKey', 'kms:GetPublicKey'], { Condition: { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: signingOnly, action: 'kms:GetPublicKey' };
    return [
      { ...base, name: 'kms:KeyUsage allows a request on a signing key', context: { 'kms:KeySpec': 'ECC_NIST_P256', 'kms:KeyUsage': 'SIGN_VERIFY' }, expect: 'Allow' },
      { ...base, name: 'kms:KeyUsage refuses a request on an encryption key', context: { 'kms:KeySpec': 'RSA_2048', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' }, expect: 'ImplicitDeny' },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const byAlias = keyPolicy(allowFor(ALICE, 'kms:DescribeKey', { Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/finance-key' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: byAlias, action: 'kms:DescribeKey' };
    return [
      { ...base, name: 'ForAnyValue on kms:ResourceAliases allows a key that has the alias among others', context: { 'kms:ResourceAliases': ['alias/finance-key', 'alias/reports'] }, expect: 'Allow' },
      { ...base, name: 'ForAnyValue on kms:ResourceAliases refuses a key without the alias', context: { 'kms:ResourceAliases': ['alias/payroll'] }, expect: 'ImplicitDeny' },
      { ...base, name: 'ForAnyValue on kms:ResourceAliases refuses a key with no alias', expect: 'ImplicitDeny' },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const sameAccount = keyPolicy(stmt({ Principal: { AWS: '*' }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }));
    const base = { doc: DOC.globalKeys, keyPolicy: sameAccount };
    return [
      { ...base, name: 'aws:PrincipalAccount is the caller’s account: an identity of the key’s account is allowed', expect: 'Allow' },
      {
        ...base,
        name: 'aws:PrincipalAccount is the caller’s account: an identity of another account is not',
        principal: OTHER_USER,
        account: OTHER_ACCOUNT,
        identity: [iamPolicy(iamAllow())],
        expect: 'ImplicitDeny',
      },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const symmetricOnly = keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } }));
    const base = { doc: DOC.conditionsKms, keyPolicy: symmetricOnly };
    return [
      { ...base, name: 'kms:KeySpec allows a request on a key of the listed spec', context: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' }, expect: 'Allow' },
      {
        ...base,
        name: 'kms:KeySpec refuses a request on a key of another spec',
        context: { 'kms:KeySpec': 'RSA_2048', 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' },
        expect: 'ImplicitDeny',
      },
    ];
  })(),
  {
    name: 'ArnLike on aws:PrincipalArn sees the role ARN for an assumed-role session',
    doc: DOC.globalKeys,
    keyPolicy: keyPolicy(stmt({ Principal: '*', Action: 'kms:Decrypt', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app*` } } })),
    principal: APP_SESSION,
    expect: 'Allow',
  },
  {
    name: 'condition key names are not case sensitive',
    doc: DOC.condition,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEquals: { 'KMS:CALLERACCOUNT': ACCOUNT } } })),
    expect: 'Allow',
  },
  {
    name: 'a policy variable in a condition value is replaced by the caller’s user name',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(allowFor([ALICE, BOB], 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } })),
    principal: BOB,
    encryptionContext: { user: 'alice' },
    expect: 'ImplicitDeny',
  },
  {
    name: 'a policy variable matches the caller’s own encryption context',
    doc: DOC.conditionsKms,
    keyPolicy: keyPolicy(allowFor([ALICE, BOB], 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } })),
    encryptionContext: { user: 'alice' },
    expect: 'Allow',
  },
  {
    name: 'policy variables are literal text in a Version 2008-10-17 policy',
    doc: DOC.variables,
    keyPolicy: {
      Version: '2008-10-17',
      Statement: [allowFor(ALICE, 'kms:Decrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } })],
    },
    encryptionContext: { user: 'alice' },
    expect: 'ImplicitDeny',
  },

  // ---- NotPrincipal, NotAction, NotResource -----------------------------------------------------------
  ...((): EvaluationCase[] => {
    const onlyAliceMayDelete = keyPolicy(
      allowFor([ALICE, BOB], 'kms:ScheduleKeyDeletion'),
      stmt({ Effect: 'Deny', NotPrincipal: { AWS: [ALICE, ROOT] }, Action: 'kms:ScheduleKeyDeletion' }),
    );
    const base = { doc: DOC.notPrincipal, keyPolicy: onlyAliceMayDelete, action: 'kms:ScheduleKeyDeletion' };
    return [
      { ...base, name: 'Deny with NotPrincipal denies everyone not listed', principal: BOB, expect: 'ExplicitDeny' },
      { ...base, name: 'Deny with NotPrincipal exempts a user listed together with its account', expect: 'Allow' },
    ];
  })(),
  {
    name: "Deny with NotPrincipal that omits the user's account still denies the user",
    doc: DOC.notPrincipal,
    keyPolicy: keyPolicy(aliceMayDecrypt, stmt({ Effect: 'Deny', NotPrincipal: { AWS: ALICE }, Action: 'kms:Decrypt' })),
    expect: 'ExplicitDeny',
  },
  {
    name: 'Deny with NotPrincipal exempts a role session when the role and its account are listed',
    doc: DOC.notPrincipal,
    keyPolicy: keyPolicy(allowFor(APP_ROLE), stmt({ Effect: 'Deny', NotPrincipal: { AWS: [APP_ROLE, ROOT] }, Action: 'kms:Decrypt' })),
    principal: APP_SESSION,
    expect: 'Allow',
  },
  {
    name: 'NotAction allows every action except the listed one',
    doc: DOC.notAction,
    keyPolicy: keyPolicy(stmt({ Principal: { AWS: ALICE }, NotAction: 'kms:ScheduleKeyDeletion' })),
    expect: 'Allow',
  },
  {
    name: 'NotAction does not allow the listed action',
    doc: DOC.notAction,
    keyPolicy: keyPolicy(stmt({ Principal: { AWS: ALICE }, NotAction: 'kms:ScheduleKeyDeletion' })),
    action: 'kms:ScheduleKeyDeletion',
    expect: 'ImplicitDeny',
  },
  {
    name: 'a Deny with NotResource denies every key except the listed one',
    doc: DOC.notResource,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('kms:*', '*'), { Effect: 'Deny', Action: 'kms:*', NotResource: OTHER_KEY_ARN })],
    expect: 'ExplicitDeny',
  },
  {
    name: 'a Deny with NotResource leaves the listed key alone',
    doc: DOC.notResource,
    keyPolicy: defaultKeyPolicyDoc(),
    identity: [iamPolicy(iamAllow('kms:*', '*'), { Effect: 'Deny', Action: 'kms:*', NotResource: KEY_ARN })],
    expect: 'Allow',
  },
  {
    name: 'a key policy statement without Resource has no effect',
    doc: DOC.keyPolicyOverview,
    keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Decrypt' }),
    expect: 'ImplicitDeny',
  },

  // ---- Action wildcards -----------------------------------------------------------------------
  {
    name: 'kms:ReEncrypt* covers kms:ReEncryptFrom',
    doc: DOC.action,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:ReEncrypt*')),
    action: 'kms:ReEncryptFrom',
    expect: 'Allow',
  },
  {
    name: 'kms:Get* does not cover kms:Decrypt',
    doc: DOC.action,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:Get*')),
    expect: 'ImplicitDeny',
  },
  {
    name: 'action names are not case sensitive',
    doc: DOC.action,
    keyPolicy: keyPolicy(allowFor(ALICE, 'KMS:decrypt')),
    expect: 'Allow',
  },
  {
    name: '? matches exactly one character in an action',
    doc: DOC.action,
    keyPolicy: keyPolicy(allowFor(ALICE, 'kms:?ncrypt')),
    action: 'kms:Encrypt',
    expect: 'Allow',
  },

  // ---- Service principals ---------------------------------------------------------------------
  {
    name: 'a service principal named in the key policy is allowed',
    doc: DOC.principal,
    keyPolicy: keyPolicy(stmt({ Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'] })),
    service: 'logs.us-east-1.amazonaws.com',
    action: 'kms:GenerateDataKey',
    expect: 'Allow',
  },
  {
    name: 'a service principal not named in the key policy is refused',
    doc: DOC.principal,
    keyPolicy: keyPolicy(stmt({ Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: 'kms:*' })),
    service: 'cloudtrail.amazonaws.com',
    expect: 'ImplicitDeny',
  },
  {
    name: 'the account principal does not cover AWS service principals',
    doc: DOC.principal,
    keyPolicy: defaultKeyPolicyDoc(),
    service: 'logs.us-east-1.amazonaws.com',
    expect: 'ImplicitDeny',
  },

  // ---- Grants -------------------------------------------------------------------------------
  {
    name: 'a grant allows its grantee without any key policy or IAM permission',
    doc: DOC.grants,
    keyPolicy: defaultKeyPolicyDoc(),
    grants: [{ grantId: 'grant-1', granteePrincipal: ALICE, operations: ['Decrypt', 'Encrypt'] }],
    expect: 'Allow',
    allowedBy: ['grant'],
    grantId: 'grant-1',
  },
  {
    name: 'a grant does not allow operations it does not list',
    doc: DOC.grants,
    keyPolicy: defaultKeyPolicyDoc(),
    grants: [{ grantId: 'grant-1', granteePrincipal: ALICE, operations: ['Encrypt'] }],
    expect: 'ImplicitDeny',
  },
  {
    name: 'a grant to a role covers sessions of that role',
    doc: DOC.grants,
    keyPolicy: defaultKeyPolicyDoc(),
    grants: [{ grantId: 'grant-2', granteePrincipal: APP_ROLE, operations: ['Decrypt'] }],
    principal: APP_SESSION,
    expect: 'Allow',
  },
  {
    name: 'a grant can allow a principal in another account on its own',
    doc: DOC.grants,
    keyPolicy: defaultKeyPolicyDoc(),
    grants: [{ grantId: 'grant-3', granteePrincipal: OTHER_USER, operations: ['Decrypt'] }],
    principal: OTHER_USER,
    account: OTHER_ACCOUNT,
    expect: 'Allow',
    allowedBy: ['grant'],
  },
  ...((): EvaluationCase[] => {
    const subset: GrantLike = {
      grantId: 'grant-subset',
      granteePrincipal: ALICE,
      operations: ['GenerateDataKey', 'Decrypt'],
      constraints: { encryptionContextSubset: { Department: 'Finance', Classification: 'Public' } },
    };
    const base = { doc: DOC.grants, keyPolicy: defaultKeyPolicyDoc(), grants: [subset] };
    return [
      {
        ...base,
        name: 'EncryptionContextSubset allows a request that includes the pairs, plus others',
        encryptionContext: { Customer: '12345', Department: 'Finance', Classification: 'Public', Purpose: 'Test' },
        expect: 'Allow',
      },
      { ...base, name: 'EncryptionContextSubset refuses an incomplete encryption context', encryptionContext: { Department: 'Finance' }, expect: 'ImplicitDeny' },
      {
        ...base,
        name: 'EncryptionContextSubset values are case sensitive',
        encryptionContext: { department: 'finance', classification: 'public' },
        expect: 'ImplicitDeny',
      },
    ];
  })(),
  ...((): EvaluationCase[] => {
    const equals: GrantLike = { grantId: 'grant-equals', granteePrincipal: ALICE, operations: ['Decrypt'], constraints: { encryptionContextEquals: { Department: 'Finance' } } };
    const base = { doc: DOC.grantConstraints, keyPolicy: defaultKeyPolicyDoc(), grants: [equals] };
    return [
      { ...base, name: 'EncryptionContextEquals allows exactly the listed pairs', encryptionContext: { Department: 'Finance' }, expect: 'Allow' },
      { ...base, name: 'EncryptionContextEquals refuses extra pairs', encryptionContext: { Department: 'Finance', Project: 'Alpha' }, expect: 'ImplicitDeny' },
      { ...base, name: 'in a grant constraint the encryption context key is not case sensitive', encryptionContext: { department: 'Finance' }, expect: 'Allow' },
    ];
  })(),
  {
    name: 'grant constraints are not applied to operations without an encryption context, such as DescribeKey',
    doc: DOC.grantConstraints,
    keyPolicy: defaultKeyPolicyDoc(),
    grants: [{ grantId: 'grant-describe', granteePrincipal: ALICE, operations: ['DescribeKey'], constraints: { encryptionContextSubset: { Department: 'Finance' } } }],
    action: 'kms:DescribeKey',
    expect: 'Allow',
  },
];

/** The case as the evaluator's request: the table's defaults filled in. */
export function requestFor(c: EvaluationCase): AuthorizationRequest {
  return {
    action: c.action ?? 'kms:Decrypt',
    principal: { arn: c.principal ?? ALICE, account: c.account ?? ACCOUNT },
    ...(c.service ? { service: c.service } : {}),
    resource: c.resource ?? KEY_ARN,
    keyAccount: ACCOUNT,
    keyPolicy: policy(c.keyPolicy),
    identityPolicies: (c.identity ?? []).map(identityPolicy),
    grants: c.grants,
    encryptionContext: c.encryptionContext,
    // As KMS does: a request parameter the case leaves out has its default value (conditions-kms.html).
    context: { ...requestConditionKeys({}, c.action ?? 'kms:Decrypt'), ...c.context },
  };
}
