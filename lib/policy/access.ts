/**
 * "Who can use this key": the access table (principals × action groups, each cell allow / deny /
 * conditional with the reason), the access delta between two policies, and the access simulator —
 * all computed with `evaluate`, so they say what KMS itself would decide. Pure.
 */
import { evaluate } from './evaluate';
import { accountOfKeyArn, parseArn } from './match';
import { GRANT_RESOURCE_ACTIONS, keyConditionKeys, requestConditionKeys, type KeyFacts } from './request-keys';
import type { AuthorizationRequest, ContextValue, Decision, GrantLike, PolicyDocument, Statement } from './types';

export type ActionGroupId = 'administer' | 'encrypt' | 'sign' | 'grants' | 'view';

export interface ActionGroup {
  id: ActionGroupId;
  label: string;
  actions: string[];
}

/** The columns of the access table, each with the actions that stand for it. */
export const ACTION_GROUPS: ActionGroup[] = [
  { id: 'administer', label: 'Administer', actions: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:EnableKeyRotation', 'kms:TagResource', 'kms:UpdateKeyDescription'] },
  { id: 'encrypt', label: 'Use for encryption', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'] },
  { id: 'sign', label: 'Use for signing / MAC', actions: ['kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac'] },
  { id: 'grants', label: 'Manage grants', actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'] },
  { id: 'view', label: 'View', actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'] },
];

export const TABLE_ACTIONS: string[] = ACTION_GROUPS.flatMap((g) => g.actions);

export type PrincipalSource = 'policy' | 'grant' | 'account' | 'cloudtrail' | 'console';

export interface AccessPrincipal {
  /** An IAM/STS ARN, or a service principal such as `logs.amazonaws.com`. */
  id: string;
  label: string;
  sources: PrincipalSource[];
  /** The principal's IAM policies; undefined when they are not known (real AWS, or a typed ARN). */
  identityPolicies?: PolicyDocument[];
}

export type ActionState = 'allow' | 'conditional' | 'deny';
export type CellState = ActionState | 'partial';

export interface ActionAccess {
  action: string;
  state: ActionState;
  reason: string;
}

export interface AccessCell {
  state: CellState;
  reason: string;
  actions: ActionAccess[];
}

export interface AccessRow {
  principal: AccessPrincipal;
  cells: Record<ActionGroupId, AccessCell>;
}

export interface AccessInput {
  policy: PolicyDocument;
  keyArn: string;
  grants: GrantLike[];
  principals: AccessPrincipal[];
  /** The key's spec, usage … as DescribeKey gives them: KMS puts them in every request's condition keys. */
  key?: KeyFacts;
}

/** What deciding one request needs besides the caller and the action. */
type KeyInput = Pick<AccessInput, 'policy' | 'keyArn' | 'grants' | 'key'>;

const ACCOUNT_ID = /^\d{12}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/i;

export function isServicePrincipal(id: string): boolean {
  return SERVICE.test(id);
}

/** An account id as written in a policy becomes its root ARN, so rows are ARNs or service names. */
export function normalizePrincipal(id: string): string {
  return ACCOUNT_ID.test(id) ? `arn:aws:iam::${id}:root` : id;
}

/** A short name for people: `role/app`, `user/alice`, `account 444455556666`, `logs.amazonaws.com`. */
export function principalLabel(id: string, keyAccount?: string): string {
  if (id === '*') return 'everyone (*)';
  const arn = parseArn(normalizePrincipal(id));
  if (!arn) return id;
  const other = keyAccount && arn.account !== keyAccount ? ` (${arn.account})` : '';
  if (arn.resource === 'root') return `account ${arn.account} (root)`;
  return `${arn.resource}${other}`;
}

/** The principals a policy names (wildcards excluded), as ARNs or service names. */
export function principalsInPolicy(policy: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const s of policy.statements) {
    for (const spec of [s.principal, s.notPrincipal]) {
      if (!spec) continue;
      for (const a of spec.aws) out.add(normalizePrincipal(a));
      for (const svc of spec.service) out.add(svc);
    }
  }
  return [...out];
}

/** An IAM policy allowing everything: what "its IAM policies permitting" assumes. */
const ALLOW_ALL_IAM: PolicyDocument = {
  kind: 'identity-policy',
  version: '2012-10-17',
  statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'], conditions: [], location: { line: 1, column: 1 }, path: 'Statement[0]' }],
};

function requestFor(principal: string, action: string, input: KeyInput, identityPolicies: PolicyDocument[], extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  const keyAccount = accountOfKeyArn(input.keyArn) ?? '';
  const service = isServicePrincipal(principal) ? principal : undefined;
  const account = service ? keyAccount : (parseArn(principal)?.account ?? keyAccount);
  return {
    action,
    principal: { arn: service ? '' : principal, account },
    ...(service ? { service } : {}),
    resource: input.keyArn,
    keyAccount,
    keyPolicy: input.policy,
    identityPolicies,
    grants: input.grants,
    ...extra,
    context: { ...(input.key ? keyConditionKeys(input.key) : {}), ...extra.context },
  };
}

/** The policy with every condition dropped from its Allow statements and every conditional Deny removed. */
function unconditional(policy: PolicyDocument): PolicyDocument {
  const statements: Statement[] = [];
  for (const s of policy.statements) {
    if (s.effect === 'Deny' && s.conditions.length > 0) continue;
    statements.push(s.effect === 'Allow' ? { ...s, conditions: [] } : s);
  }
  return { ...policy, statements };
}

function describeCondition(s: Statement): string {
  return s.conditions.map((c) => `${c.key} ${c.operator} ${c.values.join(', ')}`).join(' and ');
}

function statementName(policy: PolicyDocument, index: number): string {
  const s = policy.statements.find((st) => st.index === index);
  return s?.sid ? `"${s.sid}"` : `statement ${index + 1}`;
}

/** One principal and one action: allowed, allowed only under a condition (which), or denied (why). */
export function actionAccess(principal: AccessPrincipal, action: string, input: KeyInput): ActionAccess {
  const iamKnown = principal.identityPolicies !== undefined;
  const identity = principal.identityPolicies ?? [];
  const decision = evaluate(requestFor(principal.id, action, input, identity));
  if (decision.decision === 'Allow') return { action, state: 'allow', reason: decision.explanation };

  // Allowed once the conditions are met (key policy conditions, conditional denies, grant constraints)?
  const relaxedInput = { ...input, policy: unconditional(input.policy), grants: input.grants.map((g) => ({ ...g, constraints: undefined })) };
  const relaxed = evaluate(requestFor(principal.id, action, relaxedInput, identity));
  if (relaxed.decision === 'Allow') {
    const conditioned = relaxed.statements
      .filter((d) => d.source === 'key-policy')
      .map((d) => input.policy.statements.find((s) => s.index === d.statementIndex))
      .filter((s): s is Statement => !!s && s.conditions.length > 0);
    const denies = input.policy.statements.filter((s) => s.effect === 'Deny' && s.conditions.length > 0);
    const grant = relaxed.grantId ? input.grants.find((g) => g.grantId === relaxed.grantId && g.constraints) : undefined;
    const parts = [
      ...conditioned.map((s) => `${statementName(input.policy, s.index)} requires ${describeCondition(s)}`),
      ...(decision.reason === 'ExplicitDeny' ? denies.map((s) => `${statementName(input.policy, s.index)} denies unless its condition (${describeCondition(s)}) is not met`) : []),
      ...(grant ? [`grant ${grant.grantId.slice(0, 8)}… requires its encryption context constraint`] : []),
    ];
    return { action, state: 'conditional', reason: `Allowed only under a condition: ${parts.join('; ') || relaxed.explanation}.` };
  }

  if (!iamKnown && decision.reason !== 'ExplicitDeny') {
    const withIam = evaluate(requestFor(principal.id, action, input, [ALLOW_ALL_IAM]));
    if (withIam.decision === 'Allow') {
      return { action, state: 'conditional', reason: `Allowed if its IAM policies allow it: ${withIam.explanation.replace(/^Allowed: /, '')}` };
    }
  }
  return { action, state: 'deny', reason: decision.explanation };
}

function cellFor(actions: ActionAccess[]): AccessCell {
  const states = new Set(actions.map((a) => a.state));
  const names = (s: ActionState) =>
    actions
      .filter((a) => a.state === s)
      .map((a) => a.action.replace(/^kms:/, ''))
      .join(', ');
  if (states.size === 1) {
    const [state] = states;
    return { state, reason: actions[0].reason, actions };
  }
  const parts = (['allow', 'conditional', 'deny'] as const).filter((s) => states.has(s)).map((s) => `${s === 'allow' ? 'allowed' : s === 'deny' ? 'denied' : 'conditional'}: ${names(s)}`);
  const anyAllowed = states.has('allow');
  return { state: anyAllowed ? 'partial' : states.has('conditional') ? 'conditional' : 'deny', reason: `${parts.join('; ')}.`, actions };
}

export function accessTable(input: AccessInput): AccessRow[] {
  return input.principals.map((principal) => {
    const cells = {} as Record<ActionGroupId, AccessCell>;
    for (const group of ACTION_GROUPS) cells[group.id] = cellFor(group.actions.map((a) => actionAccess(principal, a, input)));
    return { principal, cells };
  });
}

export interface AccessChange {
  principal: string;
  label: string;
  action: string;
  from: ActionState;
  to: ActionState;
  /** e.g. "role/app-x gains kms:Decrypt". */
  sentence: string;
}

const RANK: Record<ActionState, number> = { deny: 0, conditional: 1, allow: 2 };

/** What changes, principal by principal and action by action, when `before`'s policy (and grants) become `after`'s. */
export function accessDelta(before: Omit<AccessInput, 'principals'>, after: Omit<AccessInput, 'principals'>, principals: AccessPrincipal[]): AccessChange[] {
  const changes: AccessChange[] = [];
  for (const principal of principals) {
    for (const action of TABLE_ACTIONS) {
      const from = actionAccess(principal, action, before).state;
      const to = actionAccess(principal, action, after).state;
      if (from === to) continue;
      const verb =
        to === 'allow' ? 'gains' : to === 'deny' ? 'loses' : RANK[to] > RANK[from] ? 'gains, under a condition,' : 'keeps only under a condition';
      changes.push({ principal: principal.id, label: principal.label, action, from, to, sentence: `${principal.label} ${verb} ${action}` });
    }
  }
  return changes;
}

export interface SimulationRequest {
  /** A principal ARN (an account id is its root) or a service principal. */
  principal: string;
  action: string;
  encryptionContext?: Record<string, string>;
  /** kms:ViaService: the AWS service the request comes through (CreateGrant, ListGrants and RevokeGrant then have kms:GrantIsForAWSResource true). */
  viaService?: string;
  sourceIp?: string;
  /** aws:CurrentTime; default: now, as KMS always knows the time. */
  at?: Date;
  /** kms:RequestAlias: the alias the request names the key by. */
  requestAlias?: string;
  /** Request members that are condition keys, as the API takes them: `{ EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }`, `{ RotationPeriodInDays: 730 }`. */
  parameters?: Record<string, string | number | boolean>;
}

export interface SimulationResult {
  decision: Decision;
  /** Whether the principal's IAM policies were known; when not, an allow through the account is shown as "if IAM allows". */
  iamKnown: boolean;
}

/** Runs one request through `evaluate`, as KMS would decide it for `policy` (saved or draft), with the condition keys KMS would give it. */
export function simulate(
  request: SimulationRequest,
  input: KeyInput & { identityPolicies?: PolicyDocument[] },
): SimulationResult {
  const principal = normalizePrincipal(request.principal.trim());
  const context: Record<string, ContextValue> = { ...requestConditionKeys(request.parameters ?? {}, request.action), 'aws:CurrentTime': request.at ?? new Date() };
  if (request.viaService) context['kms:ViaService'] = request.viaService;
  if (GRANT_RESOURCE_ACTIONS.has(request.action.toLowerCase())) context['kms:GrantIsForAWSResource'] = request.viaService !== undefined;
  if (request.sourceIp) context['aws:SourceIp'] = request.sourceIp;
  if (request.requestAlias) context['kms:RequestAlias'] = request.requestAlias;
  const encryptionContext = request.encryptionContext && Object.keys(request.encryptionContext).length > 0 ? request.encryptionContext : undefined;
  const decision = evaluate(
    requestFor(principal, request.action, input, input.identityPolicies ?? [], { context, ...(encryptionContext ? { encryptionContext } : {}) }),
  );
  return { decision, iamKnown: input.identityPolicies !== undefined };
}
