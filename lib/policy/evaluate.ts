/**
 * Decides whether a request on a KMS key is allowed, following AWS's evaluation logic for KMS:
 * an explicit Deny anywhere wins; otherwise the key policy must allow the caller, either directly or by
 * naming the caller's account (which delegates to the account's IAM policies); a caller from another account
 * needs both the key policy and its own IAM policies; a grant allows on its own.
 * Sources: KMS developer guide (key-policy-default.html, key-policy-overview.html, key-policy-modifying-external-accounts.html,
 * grants.html) and IAM User Guide (reference_policies_evaluation-logic.html, reference_policies_evaluation-logic-cross-account.html).
 */
import { firstFailingClause, substituteVariables, type RequestContext } from './conditions';
import { actionMatches, identify, matchAwsPrincipal, matchPrincipal, notPrincipalExempts, resourceMatches, type Identity, type PrincipalMatch } from './match';
import type { AuthorizationRequest, ConditionClause, ContextValue, DecidingStatement, Decision, GrantLike, PolicyDocument, PolicySource, Statement } from './types';

/** How one statement relates to the request. */
interface StatementResult {
  source: PolicySource;
  policyIndex: number;
  statement: Statement;
  /** Key policy statements only: how the Principal element relates to the caller. */
  principal: PrincipalMatch;
  /** The first condition that is not met, if any. */
  failedCondition?: ConditionClause;
}

export function evaluate(request: AuthorizationRequest): Decision {
  const who = identify(request.principal.arn, request.principal.account, request.service);
  const context = buildContext(request, who);
  const action = request.action;
  const callerName = who.kind === 'service' ? who.service : request.principal.arn;

  const keyResults = statementsFor(request.keyPolicy, 'key-policy', 0, request, who, context);
  // A service principal has no IAM identity, so identity policies never apply to it.
  const identityResults = who.kind === 'service' ? [] : request.identityPolicies.flatMap((p, i) => statementsFor(p, 'identity-policy', i, request, who, context));

  const applicable = [...keyResults, ...identityResults].filter((r) => !r.failedCondition);
  const denies = applicable.filter((r) => r.statement.effect === 'Deny');
  if (denies.length > 0) {
    const first = denies[0];
    return {
      decision: 'Deny',
      reason: 'ExplicitDeny',
      allowedBy: [],
      statements: denies.map(toDeciding),
      explanation: `Denied: ${describeStatement(first)} in ${describeSource(first)} explicitly denies ${action} for ${callerName}.`,
    };
  }

  const keyAllows = applicable.filter((r) => r.source === 'key-policy' && r.statement.effect === 'Allow');
  const keyDirect = keyAllows.filter((r) => r.principal === 'direct');
  const keyAccount = keyAllows.filter((r) => r.principal === 'account');
  const identityAllows = applicable.filter((r) => r.source === 'identity-policy' && r.statement.effect === 'Allow');
  // The account root user has full access in its own account, so it needs no IAM policy (evaluation-logic.html).
  const isRoot = who.kind === 'root';
  const identityOk = identityAllows.length > 0 || isRoot;
  const crossAccount = who.kind !== 'service' && request.principal.account !== request.keyAccount;

  let keyPath: StatementResult[] | undefined;
  let usedIdentity = false;
  if (crossAccount) {
    // Cross-account: the key policy must name the caller or its account AND the caller's IAM policies must allow.
    if ((keyDirect.length > 0 || keyAccount.length > 0) && identityOk) {
      keyPath = [...keyDirect, ...keyAccount, ...identityAllows];
      usedIdentity = identityAllows.length > 0;
    }
  } else {
    if (keyAccount.length > 0 && identityOk) {
      keyPath = [...keyDirect, ...keyAccount, ...identityAllows];
      usedIdentity = identityAllows.length > 0;
    } else if (keyDirect.length > 0) {
      keyPath = keyDirect;
    }
  }

  const grant = (request.grants ?? []).find((g) => grantAllows(g, request, who, identityOk));

  if (keyPath || grant) {
    const allowedBy: Decision['allowedBy'] = [];
    if (keyPath) allowedBy.push('key-policy');
    if (usedIdentity) allowedBy.push('identity-policy');
    if (grant) allowedBy.push('grant');
    return {
      decision: 'Allow',
      reason: 'Allowed',
      allowedBy,
      statements: (keyPath ?? []).map(toDeciding),
      ...(grant ? { grantId: grant.grantId } : {}),
      explanation: keyPath
        ? explainKeyAllow({ action, callerName, request, keyDirect, keyAccount, identityAllows, crossAccount, isRoot })
        : `Allowed: grant ${grant!.grantId} allows ${operationName(action)} for ${callerName}.`,
    };
  }

  return {
    decision: 'Deny',
    reason: 'ImplicitDeny',
    allowedBy: [],
    statements: [...keyAllows, ...identityAllows].map(toDeciding),
    explanation: explainImplicitDeny({ action, callerName, request, keyDirect, keyAccount, identityAllows, crossAccount, keyResults, identityResults }),
  };
}

const PRINCIPAL_TYPES: Partial<Record<Identity['kind'], string>> = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser' };

/** Condition keys derived from the caller and the encryption context; values the caller passed in `context` win. */
function buildContext(request: AuthorizationRequest, who: Identity): RequestContext {
  const context = new Map<string, ContextValue>();
  for (const [key, value] of Object.entries(request.context)) context.set(key.toLowerCase(), value);
  const derive = (key: string, value: ContextValue) => {
    if (!context.has(key.toLowerCase())) context.set(key.toLowerCase(), value);
  };
  if (who.kind === 'service') {
    derive('aws:PrincipalServiceName', who.service);
  } else {
    // For a role session aws:PrincipalArn is the role's ARN, not the session's (IAM global condition keys).
    derive('aws:PrincipalArn', who.kind === 'assumed-role' ? `arn:${who.partition}:iam::${who.account}:role/${who.roleName}` : who.arn);
    derive('aws:PrincipalAccount', who.account);
    derive('kms:CallerAccount', who.account);
    const type = PRINCIPAL_TYPES[who.kind];
    if (type) derive('aws:PrincipalType', type);
    if (who.kind === 'user') derive('aws:username', who.name);
  }
  const pairs = Object.entries(request.encryptionContext ?? {});
  // Condition key names are case-insensitive, so the context key part of kms:EncryptionContext:<key> is too (conditions-kms.html).
  for (const [key, value] of pairs) derive(`kms:EncryptionContext:${key}`, value);
  if (pairs.length > 0) derive('kms:EncryptionContextKeys', pairs.map(([key]) => key));
  return context;
}

function statementsFor(
  policy: PolicyDocument,
  source: PolicySource,
  policyIndex: number,
  request: AuthorizationRequest,
  who: Identity,
  context: RequestContext,
): StatementResult[] {
  const variables = policy.version === '2012-10-17';
  const results: StatementResult[] = [];
  for (const statement of policy.statements) {
    if (statement.action && !actionMatches(statement.action, request.action)) continue;
    if (statement.notAction && actionMatches(statement.notAction, request.action)) continue;
    if (!resourceApplies(statement, request.resource, variables, context)) continue;
    let principal: PrincipalMatch;
    if (source === 'key-policy') {
      if (statement.principal) principal = matchPrincipal(statement.principal, who);
      else if (statement.notPrincipal) principal = notPrincipalExempts(statement.notPrincipal, who) ? undefined : 'direct';
      if (!principal) continue;
    }
    results.push({ source, policyIndex, statement, principal, failedCondition: firstFailingClause(statement.conditions, context, variables) });
  }
  return results;
}

function resourceApplies(statement: Statement, resource: string, variables: boolean, context: RequestContext): boolean {
  const resolve = (patterns: string[]) =>
    patterns.map((p) => substituteVariables(p, { enabled: variables, context })).filter((p): p is string => p !== undefined);
  if (statement.resource) return resourceMatches(resolve(statement.resource), resource);
  if (statement.notResource) return !resourceMatches(resolve(statement.notResource), resource);
  // A statement without Resource applies to nothing (key-policy-overview.html).
  return false;
}

/** Grant constraints apply only to operations that take an encryption context (API_GrantConstraints.html). */
const ENCRYPTION_CONTEXT_OPERATIONS = new Set(
  ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'].map((o) =>
    o.toLowerCase(),
  ),
);

function operationName(action: string): string {
  return action.replace(/^kms:/i, '');
}

function grantAllows(grant: GrantLike, request: AuthorizationRequest, who: Identity, identityOk: boolean): boolean {
  const operation = operationName(request.action).toLowerCase();
  if (!grant.operations.some((o) => o.toLowerCase() === operation)) return false;
  if (!granteeMatches(grant.granteePrincipal, who, identityOk)) return false;
  return constraintsHold(grant, operation, request);
}

function granteeMatches(grantee: string, who: Identity, identityOk: boolean): boolean {
  if (who.kind === 'service') return grantee.toLowerCase() === who.service.toLowerCase();
  const m = matchAwsPrincipal(grantee, who);
  // A grant to an account, like a key policy naming an account, is taken to delegate to that account's IAM policies.
  return m === 'direct' || (m === 'account' && identityOk);
}

function constraintsHold(grant: GrantLike, operation: string, request: AuthorizationRequest): boolean {
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = grant.constraints ?? {};
  if (!equals && !subset) return true;
  if (!ENCRYPTION_CONTEXT_OPERATIONS.has(operation)) return true;
  // Asymmetric and HMAC keys take no encryption context, so constraints are not applied to them.
  const keySpec = [...Object.entries(request.context)].find(([k]) => k.toLowerCase() === 'kms:keyspec')?.[1];
  if (typeof keySpec === 'string' && keySpec !== 'SYMMETRIC_DEFAULT') return true;
  // In a grant constraint the key is not case sensitive but the value is (API_GrantConstraints.html).
  const requestPairs = new Map(Object.entries(request.encryptionContext ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const includes = (pairs: Record<string, string>) => Object.entries(pairs).every(([k, v]) => requestPairs.get(k.toLowerCase()) === v);
  if (equals && !(includes(equals) && requestPairs.size === new Set(Object.keys(equals).map((k) => k.toLowerCase())).size)) return false;
  if (subset && !includes(subset)) return false;
  return true;
}

function toDeciding(r: StatementResult): DecidingStatement {
  return {
    source: r.source,
    policyIndex: r.policyIndex,
    statementIndex: r.statement.index,
    ...(r.statement.sid !== undefined ? { sid: r.statement.sid } : {}),
    effect: r.statement.effect,
    location: r.statement.location,
  };
}

function describeStatement(r: StatementResult): string {
  return r.statement.sid ? `statement ${JSON.stringify(r.statement.sid)}` : `statement #${r.statement.index + 1}`;
}

function describeSource(r: StatementResult): string {
  return r.source === 'key-policy' ? 'the key policy' : `identity policy #${r.policyIndex + 1}`;
}

function list(results: StatementResult[]): string {
  return results.map(describeStatement).join(', ');
}

function explainKeyAllow(a: {
  action: string;
  callerName: string;
  request: AuthorizationRequest;
  keyDirect: StatementResult[];
  keyAccount: StatementResult[];
  identityAllows: StatementResult[];
  crossAccount: boolean;
  isRoot: boolean;
}): string {
  const account = a.request.principal.account;
  if (a.crossAccount) {
    const keySide = a.keyDirect.length > 0 ? a.keyDirect : a.keyAccount;
    const callerSide = a.isRoot && a.identityAllows.length === 0 ? `the caller is account ${account}'s root user` : `the caller's IAM policy (${list(a.identityAllows)}) allows it`;
    return `Allowed: the key policy (${list(keySide)}) allows ${a.callerName} from account ${account}, and ${callerSide}, so ${a.action} is allowed across accounts.`;
  }
  if (a.keyDirect.length > 0) return `Allowed: the key policy (${list(a.keyDirect)}) allows ${a.action} for ${a.callerName}.`;
  if (a.isRoot && a.identityAllows.length === 0) return `Allowed: the key policy (${list(a.keyAccount)}) allows account ${account}, and the caller is its root user.`;
  return `Allowed: the key policy (${list(a.keyAccount)}) lets account ${account} use IAM policies, and an IAM policy (${list(a.identityAllows)}) allows ${a.action} for ${a.callerName}.`;
}

function explainImplicitDeny(a: {
  action: string;
  callerName: string;
  request: AuthorizationRequest;
  keyDirect: StatementResult[];
  keyAccount: StatementResult[];
  identityAllows: StatementResult[];
  crossAccount: boolean;
  keyResults: StatementResult[];
  identityResults: StatementResult[];
}): string {
  const account = a.request.principal.account;
  const key = a.request.resource;
  const keyAllows = a.keyDirect.length + a.keyAccount.length > 0;
  let sentence: string;
  if (a.crossAccount && keyAllows) {
    sentence = `Denied: the key policy allows ${a.callerName}, but a caller from account ${account} also needs an IAM policy in its own account that allows ${a.action} on ${key}, and none does`;
  } else if (a.crossAccount) {
    sentence = `Denied: no statement in the key policy allows ${a.action} for ${a.callerName} or its account ${account}${a.identityAllows.length > 0 ? ', and its IAM policy alone is not enough across accounts' : ''}`;
  } else if (a.keyAccount.length > 0) {
    sentence = `Denied: the key policy (${list(a.keyAccount)}) lets account ${account} use IAM policies, but no IAM policy allows ${a.action} on ${key} for ${a.callerName}`;
  } else if (a.identityAllows.length > 0) {
    sentence = `Denied: an IAM policy (${list(a.identityAllows)}) allows ${a.action}, but the key policy neither names ${a.callerName} nor lets account ${account} use IAM policies`;
  } else {
    sentence = `Denied: no statement in the key policy allows ${a.action} for ${a.callerName}`;
  }
  const grants = a.request.grants ?? [];
  if (grants.length > 0) sentence += `, and ${grants.length === 1 ? 'the grant does not apply' : `none of the ${grants.length} grants applies`}`;
  const nearMiss = [...a.keyResults, ...a.identityResults].find((r) => r.statement.effect === 'Allow' && r.failedCondition);
  if (nearMiss?.failedCondition) {
    sentence += `; ${describeStatement(nearMiss)} in ${describeSource(nearMiss)} would apply, but its condition ${nearMiss.failedCondition.operator} on ${nearMiss.failedCondition.key} is not met`;
  }
  return `${sentence}.`;
}
