/** The shapes shared by the policy parser, the evaluator and their callers (emulator and policy editor). */

/** A 1-based position in the policy text. */
export interface SourceLocation {
  line: number;
  column: number;
}

/** What kind of problem, so the emulator can pick AWS's exception (a size error is a LimitExceededException). */
export type PolicyErrorCode = 'json-syntax' | 'size-limit' | 'character' | 'grammar';

/** One problem found in a policy, placed on the JSON value or key that causes it. */
export interface PolicyError {
  message: string;
  line: number;
  column: number;
  /** Where in the document, e.g. `Statement[1].Effect` (indexes are 0-based). Empty for the whole document. */
  path: string;
  code?: PolicyErrorCode;
}

/** Key policies need a Principal; identity (IAM) policies must not have one. */
export type PolicyKind = 'key-policy' | 'identity-policy';

export type Effect = 'Allow' | 'Deny';

/** A normalized Principal or NotPrincipal element: every list is an array, `"*"` becomes `wildcard`. */
export interface PrincipalSpec {
  /** `"Principal": "*"` or `{"AWS": "*"}`: everyone. */
  wildcard: boolean;
  aws: string[];
  service: string[];
  federated: string[];
}

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

export type BaseConditionOperator =
  | 'StringEquals'
  | 'StringNotEquals'
  | 'StringEqualsIgnoreCase'
  | 'StringNotEqualsIgnoreCase'
  | 'StringLike'
  | 'StringNotLike'
  | 'NumericEquals'
  | 'NumericNotEquals'
  | 'NumericLessThan'
  | 'NumericLessThanEquals'
  | 'NumericGreaterThan'
  | 'NumericGreaterThanEquals'
  | 'DateEquals'
  | 'DateNotEquals'
  | 'DateLessThan'
  | 'DateLessThanEquals'
  | 'DateGreaterThan'
  | 'DateGreaterThanEquals'
  | 'Bool'
  | 'BinaryEquals'
  | 'IpAddress'
  | 'NotIpAddress'
  | 'ArnEquals'
  | 'ArnNotEquals'
  | 'ArnLike'
  | 'ArnNotLike'
  | 'Null';

/** One `operator → key → values` entry of a Condition block. */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringEqualsIfExists`. */
  operator: string;
  base: BaseConditionOperator;
  set?: SetOperator;
  ifExists: boolean;
  /** The condition key as written; lookups ignore its case. */
  key: string;
  /** Policy values as strings (JSON numbers and booleans are compared as their text, as AWS does). */
  values: string[];
  location: SourceLocation;
}

export interface Statement {
  /** 0-based position in the Statement list. */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  /** Absent (with notResource absent too) means the statement applies to no resource. */
  resource?: string[];
  notResource?: string[];
  conditions: ConditionClause[];
  location: SourceLocation;
  /** `Statement[0]`, or `Statement` when the document holds a single statement object. */
  path: string;
}

export interface PolicyDocument {
  kind: PolicyKind;
  /** Absent means 2008-10-17, which has no policy variables. */
  version?: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: Statement[];
}

export type ParseResult =
  | { ok: true; policy: PolicyDocument; warnings: PolicyError[] }
  | { ok: false; errors: PolicyError[]; warnings: PolicyError[] };

export type ContextValue = string | number | boolean | Date | string[];

export interface GrantLike {
  grantId: string;
  /** A principal ARN, an account id, or a service principal such as `logs.amazonaws.com`. */
  granteePrincipal: string;
  /** KMS operation names such as `Decrypt`. */
  operations: string[];
  constraints?: {
    encryptionContextEquals?: Record<string, string>;
    encryptionContextSubset?: Record<string, string>;
  };
}

export interface CallerPrincipal {
  /** e.g. arn:aws:iam::111122223333:user/alice, arn:aws:sts::111122223333:assumed-role/app/session, arn:aws:iam::111122223333:root */
  arn: string;
  account: string;
}

export interface AuthorizationRequest {
  /** e.g. `kms:Encrypt`. */
  action: string;
  principal: CallerPrincipal;
  /** Set when the caller is an AWS service principal such as `logs.amazonaws.com`. */
  service?: string;
  /** The key ARN. */
  resource: string;
  keyAccount: string;
  keyPolicy: PolicyDocument;
  /** The caller's IAM policies (they live in the caller's account). */
  identityPolicies: PolicyDocument[];
  grants?: GrantLike[];
  /** The request's encryption context: checked against grant constraints and exposed as kms:EncryptionContext:* keys. */
  encryptionContext?: Record<string, string>;
  /** Condition keys; names are case-insensitive. */
  context: Record<string, ContextValue>;
}

export type PolicySource = 'key-policy' | 'identity-policy';

export interface DecidingStatement {
  source: PolicySource;
  /** 0 for the key policy; the index in `identityPolicies` otherwise. */
  policyIndex: number;
  statementIndex: number;
  sid?: string;
  effect: Effect;
  location: SourceLocation;
}

export interface Decision {
  decision: 'Allow' | 'Deny';
  reason: 'ExplicitDeny' | 'Allowed' | 'ImplicitDeny';
  allowedBy: ('key-policy' | 'identity-policy' | 'grant')[];
  /** Deny: the denying statements. Allow: the statements that allowed. ImplicitDeny: allows that applied but were not enough. */
  statements: DecidingStatement[];
  grantId?: string;
  /** One sentence for people. */
  explanation: string;
}
