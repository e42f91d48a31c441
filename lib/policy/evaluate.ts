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
  return decide(request);
}

/**
 * The emulator's question, answered without what a Decision carries for people: `true` when the request is
 * allowed (no statements list, no explanation: this runs on every request), else the full Decision of the refusal.
 * The policy documents are taken as immutable, as parsePolicy makes them: which of their statements can apply to
 * an action and a caller is worked out once per document (only the conditions and resources are evaluated per request).
 */
export function allowedOrRefusal(request: AuthorizationRequest): true | Decision {
  // A refusal is worked out again in full, for its statements and its explanation.
  return allowed(request) || decide(request);
}

/** The statements of a document that can apply to an action and a caller (their Action and Principal match), denies apart. */
interface Applicable {
  denies: Statement[];
  allows: Statement[];
  /** Key policy only: how each allow's Principal relates to the caller ('direct' or 'account'), in the order of `allows`. */
  principals: PrincipalMatch[];
  /** Whether any of them has a condition or a policy variable in its Resource: only then is the request's context built. */
  needsContext: boolean;
}

/** Per document, per action, and for a key policy per caller (the Identity objects of callerIdentity's cache). */
const keyPolicyCache = new WeakMap<PolicyDocument, Map<string, WeakMap<Identity, Applicable>>>();
const identityPolicyCache = new WeakMap<PolicyDocument, Map<string, Applicable>>();
const NO_CALLER: Identity = { kind: 'other', account: '', partition: '', arn: '' };

function keyApplicable(policy: PolicyDocument, action: string, who: Identity): Applicable {
  let byAction = keyPolicyCache.get(policy);
  if (!byAction) keyPolicyCache.set(policy, (byAction = new Map()));
  let byCaller = byAction.get(action);
  if (!byCaller) {
    if (byAction.size >= 1000) byAction.clear();
    byAction.set(action, (byCaller = new WeakMap()));
  }
  let found = byCaller.get(who);
  if (!found) byCaller.set(who, (found = compile(policy, 'key-policy', action, who)));
  return found;
}

function identityApplicable(policy: PolicyDocument, action: string): Applicable {
  let byAction = identityPolicyCache.get(policy);
  if (!byAction) identityPolicyCache.set(policy, (byAction = new Map()));
  let found = byAction.get(action);
  if (!found) {
    if (byAction.size >= 1000) byAction.clear();
    byAction.set(action, (found = compile(policy, 'identity-policy', action, NO_CALLER)));
  }
  return found;
}

function compile(policy: PolicyDocument, source: PolicySource, action: string, who: Identity): Applicable {
  const out: Applicable = { denies: [], allows: [], principals: [], needsContext: false };
  for (const statement of policy.statements) {
    if (statement.action && !actionMatches(statement.action, action)) continue;
    if (statement.notAction && actionMatches(statement.notAction, action)) continue;
    let principal: PrincipalMatch;
    if (source === 'key-policy') {
      if (statement.principal) principal = matchPrincipal(statement.principal, who);
      else if (statement.notPrincipal) principal = notPrincipalExempts(statement.notPrincipal, who) ? undefined : 'direct';
      if (!principal) continue;
    }
    if (statement.effect === 'Deny') out.denies.push(statement);
    else {
      out.allows.push(statement);
      out.principals.push(principal);
    }
    if (statement.conditions.length > 0 || (statement.resource ?? statement.notResource ?? []).some((p) => p.includes('${'))) out.needsContext = true;
  }
  return out;
}

/**
 * `decide` for an Allow only, with nothing kept for an explanation: true when allowed; false when refused
 * (then decide tells why). The same rules in the same order — table.agreement.test.ts and evaluate.test.ts hold both to the table.
 */
function allowed(request: AuthorizationRequest): boolean {
  const who = callerIdentity(request);
  const action = request.action;
  const check = new StatementCheck(request, who);
  const key = keyApplicable(request.keyPolicy, action, who);
  const variables = request.keyPolicy.version === '2012-10-17';

  // An explicit deny anywhere refuses.
  for (const s of key.denies) if (check.applies(s, variables, key.needsContext)) return false;
  // A service principal has no IAM identity, so identity policies never apply to it.
  const identityPolicies = who.kind === 'service' ? [] : request.identityPolicies;
  for (const p of identityPolicies) {
    const a = identityApplicable(p, action);
    for (const s of a.denies) if (check.applies(s, p.version === '2012-10-17', a.needsContext)) return false;
  }

  let keyDirect = false;
  let keyAccount = false;
  for (let i = 0; i < key.allows.length && !keyDirect; i++) {
    const principal = key.principals[i];
    if ((principal === 'direct' || !keyAccount) && check.applies(key.allows[i], variables, key.needsContext)) {
      if (principal === 'direct') keyDirect = true;
      else keyAccount = true;
    }
  }
  let identityAllows = false;
  for (let i = 0; i < identityPolicies.length && !identityAllows; i++) {
    const p = identityPolicies[i];
    const a = identityApplicable(p, action);
    for (const s of a.allows) {
      if (check.applies(s, p.version === '2012-10-17', a.needsContext)) {
        identityAllows = true;
        break;
      }
    }
  }

  const identityOk = identityAllows || who.kind === 'root';
  const crossAccount = who.kind !== 'service' && request.principal.account !== request.keyAccount;
  if (crossAccount ? (keyDirect || keyAccount) && identityOk : (keyAccount && identityOk) || keyDirect) return true;
  const grants = request.grants;
  if (!grants || grants.length === 0) return false;
  const operation = operationName(action).toLowerCase();
  for (const g of grants) if (grantAllows(g, operation, request, who, identityOk)) return true;
  return false;
}

/** Whether a statement's Resource and Condition hold for one request; its condition keys are built on first need only. */
class StatementCheck {
  private context?: RequestContext;
  constructor(
    private readonly request: AuthorizationRequest,
    private readonly who: Identity,
  ) {}
  applies(statement: Statement, variables: boolean, needsContext: boolean): boolean {
    // Without a condition or a policy variable among the statements, no condition key is looked at.
    if (!needsContext) return resourceApplies(statement, this.request.resource, false, EMPTY_CONTEXT);
    const context = (this.context ??= buildContext(this.request, this.who));
    return resourceApplies(statement, this.request.resource, variables, context) && !firstFailingClause(statement.conditions, context, variables);
  }
}

const EMPTY_CONTEXT: RequestContext = new Map();

/** The Decision, with the statements that made it and its explanation. */
function decide(request: AuthorizationRequest): Decision {
  const who = callerIdentity(request);
  const context = buildContext(request, who);
  const action = request.action;
  const callerName = who.kind === 'service' ? who.service : request.principal.arn;

  const keyResults = statementsFor(request.keyPolicy, 'key-policy', 0, request, who, context);
  // A service principal has no IAM identity, so identity policies never apply to it.
  const identityResults: StatementResult[] = [];
  if (who.kind !== 'service') request.identityPolicies.forEach((p, i) => identityResults.push(...statementsFor(p, 'identity-policy', i, request, who, context)));

  // The statements that apply (conditions met), sorted in one pass, each list in policy order.
  const denies: StatementResult[] = [];
  const keyAllows: StatementResult[] = [];
  const keyDirect: StatementResult[] = [];
  const keyAccount: StatementResult[] = [];
  const identityAllows: StatementResult[] = [];
  for (const r of keyResults) {
    if (r.failedCondition) continue;
    if (r.statement.effect === 'Deny') denies.push(r);
    else {
      keyAllows.push(r);
      if (r.principal === 'direct') keyDirect.push(r);
      else if (r.principal === 'account') keyAccount.push(r);
    }
  }
  for (const r of identityResults) {
    if (r.failedCondition) continue;
    if (r.statement.effect === 'Deny') denies.push(r);
    else identityAllows.push(r);
  }
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

  const grants = request.grants;
  let grant: GrantLike | undefined;
  if (grants && grants.length > 0) {
    const operation = operationName(action).toLowerCase();
    grant = grants.find((g) => grantAllows(g, operation, request, who, identityOk));
  }

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

/**
 * Parsed callers by ARN then account (services by name): the same few principals call again and again, and each
 * keeps one Identity object, by which the statements that can apply to it are cached.
 */
const identities = new Map<string, Map<string, Identity>>();
const services = new Map<string, Identity>();
function callerIdentity(request: AuthorizationRequest): Identity {
  const { arn, account } = request.principal;
  if (request.service) {
    let who = services.get(request.service);
    if (!who) {
      if (services.size >= 10_000) services.clear();
      services.set(request.service, (who = identify(arn, account, request.service)));
    }
    return who;
  }
  let byAccount = identities.get(arn);
  if (!byAccount) {
    if (identities.size >= 10_000) identities.clear();
    identities.set(arn, (byAccount = new Map()));
  }
  let who = byAccount.get(account);
  if (!who) {
    if (byAccount.size >= 100) byAccount.clear();
    byAccount.set(account, (who = identify(arn, account)));
  }
  return who;
}

const PRINCIPAL_TYPES: Partial<Record<Identity['kind'], string>> = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser' };

/** Condition key names in lower case (they are case-insensitive); the same few dozen names come with every request. */
const lowerNames = new Map<string, string>();
function lower(name: string): string {
  let l = lowerNames.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (lowerNames.size >= 10_000) lowerNames.clear();
    lowerNames.set(name, l);
  }
  return l;
}

/** Sets a derived condition key unless the caller passed a value for it in `context`. */
function derive(context: Map<string, ContextValue>, key: string, value: ContextValue): void {
  const name = lower(key);
  if (!context.has(name)) context.set(name, value);
}

/** Condition keys derived from the caller and the encryption context; values the caller passed in `context` win. */
function buildContext(request: AuthorizationRequest, who: Identity): RequestContext {
  const context = new Map<string, ContextValue>();
  for (const key of Object.keys(request.context)) context.set(lower(key), request.context[key]);
  if (who.kind === 'service') {
    derive(context, 'aws:PrincipalServiceName', who.service);
  } else {
    // For a role session aws:PrincipalArn is the role's ARN, not the session's (IAM global condition keys).
    derive(context, 'aws:PrincipalArn', who.kind === 'assumed-role' ? `arn:${who.partition}:iam::${who.account}:role/${who.roleName}` : who.arn);
    derive(context, 'aws:PrincipalAccount', who.account);
    derive(context, 'kms:CallerAccount', who.account);
    const type = PRINCIPAL_TYPES[who.kind];
    if (type) derive(context, 'aws:PrincipalType', type);
    if (who.kind === 'user') derive(context, 'aws:username', who.name);
  }
  const encryptionContext = request.encryptionContext;
  if (encryptionContext) {
    const keys = Object.keys(encryptionContext);
    // Condition key names are case-insensitive, so the context key part of kms:EncryptionContext:<key> is too (conditions-kms.html).
    for (const key of keys) derive(context, `kms:EncryptionContext:${key}`, encryptionContext[key]);
    if (keys.length > 0) derive(context, 'kms:EncryptionContextKeys', keys);
  }
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
  if (statement.resource) return resourceMatches(resolveVariables(statement.resource, variables, context), resource);
  if (statement.notResource) return !resourceMatches(resolveVariables(statement.notResource, variables, context), resource);
  // A statement without Resource applies to nothing (key-policy-overview.html).
  return false;
}

/** Patterns with their policy variables substituted; a pattern whose variable has no value matches nothing, so it is left out. */
function resolveVariables(patterns: string[], variables: boolean, context: RequestContext): string[] {
  if (!variables) return patterns;
  let out: string[] | undefined;
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i];
    // Most patterns hold no variable (`*`, a key ARN): the list is used as it is.
    if (!out && !p.includes('${')) continue;
    out ??= patterns.slice(0, i);
    const resolved = substituteVariables(p, { enabled: true, context });
    if (resolved !== undefined) out.push(resolved);
  }
  return out ?? patterns;
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

/** `operation`: the request's action without `kms:`, in lower case. */
function grantAllows(grant: GrantLike, operation: string, request: AuthorizationRequest, who: Identity, identityOk: boolean): boolean {
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
