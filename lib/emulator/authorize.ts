/**
 * Authorization of every request with lib/policy, as AWS KMS does it: the key policy, the caller's
 * IAM policies and the key's grants; a refusal is AccessDeniedException in AWS's words.
 */
import { allowedOrRefusal, keyConditionKeys, parsePolicy, type AuthorizationRequest, type CallerPrincipal, type ContextValue, type Decision, type GrantLike, type PolicyDocument, type PolicyKind } from '../policy';
import { AccessDeniedException } from './errors';
import type { Identity } from './identities';
import type { GrantRecord, KeyRecord, Store } from './store';

/** Parsed policies by kind, then by text: the text is the stored string itself, whose hash V8 keeps, so a lookup does not rehash a policy per request. */
const parsed: Record<PolicyKind, Map<string, PolicyDocument>> = { 'key-policy': new Map(), 'identity-policy': new Map() };
const MAX_CACHED = 10_000;

/** A stored (already validated) policy, parsed once per distinct text. */
export function policyDocument(text: string, kind: PolicyKind): PolicyDocument {
  const cache = parsed[kind];
  let doc = cache.get(text);
  if (!doc) {
    const result = parsePolicy(text, { kind });
    // Stored key policies were validated when put; identity policies come from configuration.
    if (!result.ok) throw new Error(`Invalid ${kind}: ${result.errors[0]?.message}`);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(text, (doc = result.policy));
  }
  return doc;
}

/** An identity's parsed IAM policies (identities are fixed objects; a session's is made once per session). */
const identityDocuments = new WeakMap<Identity, { texts: readonly string[]; docs: PolicyDocument[] }>();
function identityPolicies(caller: Identity): PolicyDocument[] {
  let entry = identityDocuments.get(caller);
  if (!entry || entry.texts !== caller.policies || entry.docs.length !== caller.policies.length) {
    entry = { texts: caller.policies, docs: caller.policies.map((p) => policyDocument(p, 'identity-policy')) };
    identityDocuments.set(caller, entry);
  }
  return entry.docs;
}

/** Whether a policy text can ask for kms:ResourceAliases (whose value costs a scan of the aliases). */
const asksForAliases = new Map<string, boolean>();
function mentionsResourceAliases(text: string): boolean {
  let yes = asksForAliases.get(text);
  if (yes === undefined) {
    if (asksForAliases.size >= MAX_CACHED) asksForAliases.clear();
    asksForAliases.set(text, (yes = text.includes('ResourceAliases')));
  }
  return yes;
}

export interface AuthorizationScope {
  caller: Identity;
  now: number;
  sourceIp?: string;
  store: Store;
  /** The alias the request named the key by, if any (kms:RequestAlias). */
  requestAlias?: string;
  /** Request members that are condition keys (kms:EncryptionAlgorithm, kms:SigningAlgorithm …). */
  conditionKeys?: Record<string, ContextValue>;
}

function context(scope: AuthorizationScope, key: KeyRecord | undefined): Record<string, ContextValue> {
  const c: Record<string, ContextValue> = { 'aws:CurrentTime': new Date(scope.now), ...scope.conditionKeys };
  if (scope.sourceIp) c['aws:SourceIp'] = scope.sourceIp;
  if (scope.caller.viaService) c['kms:ViaService'] = scope.caller.viaService;
  if (scope.requestAlias) c['kms:RequestAlias'] = scope.requestAlias;
  if (key) {
    const multiRegionKeyType = (key.primaryRegion ?? key.region) === key.region ? 'PRIMARY' : 'REPLICA';
    keyConditionKeys({ keySpec: key.keySpec, keyUsage: key.keyUsage, origin: key.origin, multiRegion: key.multiRegion, multiRegionKeyType }, c);
    // Listing aliases costs a scan, so only when some policy can ask for them.
    if (mentionsResourceAliases(key.policy) || scope.caller.policies.some(mentionsResourceAliases)) {
      c['kms:ResourceAliases'] = [...scope.store.aliasesOf(key.region, key.account).values()].filter((a) => a.targetKeyId === key.keyId).map((a) => a.name);
    }
  }
  return c;
}

/** AccessDeniedException's message, in AWS's words: an explicit deny in, or no allow from, an identity- or resource-based policy. */
export function denialMessage(callerArn: string, action: string, resource: string, why: { deny: boolean; policy: 'identity-based' | 'resource-based' }): string {
  const head = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`;
  return why.deny ? `${head} with an explicit deny in a ${why.policy} policy` : `${head} because no ${why.policy} policy allows the ${action} action`;
}

function refuse(caller: Identity, action: string, resource: string, decision: Decision): never {
  if (decision.reason === 'ExplicitDeny') {
    const policy = decision.statements[0]?.source === 'key-policy' ? 'resource-based' : 'identity-based';
    throw new AccessDeniedException(denialMessage(caller.arn, action, resource, { deny: true, policy }));
  }
  // Key-policy statements among the (insufficient) allows mean the key delegated to IAM and IAM said no.
  const policy = decision.statements.some((s) => s.source === 'key-policy') ? 'identity-based' : 'resource-based';
  throw new AccessDeniedException(denialMessage(caller.arn, action, resource, { deny: false, policy }));
}

/**
 * One authorization question as lib/policy takes it. Its condition keys are made only if a statement that can
 * apply to the caller has a condition or a policy variable to test (most requests have none): then, still within
 * the same synchronous check, from this request's own facts.
 */
class KeyQuestion implements AuthorizationRequest {
  private built?: Record<string, ContextValue>;
  readonly service?: string;
  constructor(
    private readonly scope: AuthorizationScope,
    private readonly key: KeyRecord | undefined,
    readonly action: string,
    readonly principal: CallerPrincipal,
    readonly resource: string,
    readonly keyAccount: string,
    readonly keyPolicy: PolicyDocument,
    readonly identityPolicies: PolicyDocument[],
    readonly grants?: GrantLike[],
    readonly encryptionContext?: Record<string, string>,
  ) {
    if (scope.caller.service) this.service = scope.caller.service;
  }
  get context(): Record<string, ContextValue> {
    return (this.built ??= context(this.scope, this.key));
  }
}

/** The caller as lib/policy sees it, one object per identity. */
const principals = new WeakMap<Identity, CallerPrincipal>();
function principalOf(caller: Identity): CallerPrincipal {
  let principal = principals.get(caller);
  if (!principal || principal.arn !== caller.arn || principal.account !== caller.accountId) principals.set(caller, (principal = { arn: caller.arn, account: caller.accountId }));
  return principal;
}

/** Throws AccessDeniedException unless `action` on `key` is allowed for the caller, by the policies or by one of `key.grants`. */
export function authorizeKey(scope: AuthorizationScope, key: KeyRecord, action: string, encryptionContext?: Record<string, string>): void {
  // The grant and the key account's IAM policies decide kms:RetireGrant; the key policy does not (grant-delete.html).
  const retire = action.toLowerCase() === 'kms:retiregrant';
  const keyPolicy = policyDocument(retire ? delegateToAccount(key.account) : key.policy, 'key-policy');
  const question = new KeyQuestion(scope, key, action, principalOf(scope.caller), key.arn, key.account, keyPolicy, identityPolicies(scope.caller), grantsOf(key, retire), encryptionContext);
  const decision = allowedOrRefusal(question);
  if (decision !== true) refuse(scope.caller, action, key.arn, decision);
}

/** Actions on no particular key (CreateKey, ListKeys, ListAliases, GenerateRandom, cloudtrail:LookupEvents): the caller's IAM policies decide. */
export function authorizeAccount(scope: AuthorizationScope, action: string, region: string): void {
  const account = scope.caller.accountId;
  const resource = `arn:aws:kms:${region}:${account}:*`;
  // IAM alone decides for account-level actions: a resource policy that delegates to the account.
  const question = new KeyQuestion(scope, undefined, action, principalOf(scope.caller), '*', account, policyDocument(delegateToAccount(account), 'key-policy'), identityPolicies(scope.caller));
  const decision = allowedOrRefusal(question);
  if (decision !== true) refuse(scope.caller, action, resource, decision);
}

const asGrantLike = (g: GrantRecord): GrantLike => ({
  grantId: g.grantId,
  granteePrincipal: g.granteePrincipal,
  operations: g.operations,
  constraints: g.constraints && { encryptionContextEquals: g.constraints.EncryptionContextEquals, encryptionContextSubset: g.constraints.EncryptionContextSubset },
});
/** Records are replaced, never changed, on every update, so a key's grant list maps once per version. */
const grantLikes = new WeakMap<GrantRecord[], GrantLike[]>();

/** The key's grants as lib/policy sees them; for RetireGrant a grant's retiring principal is one more grantee of RetireGrant. */
function grantsOf(key: KeyRecord, retire: boolean): GrantLike[] | undefined {
  const grants = key.grants;
  if (!grants || grants.length === 0) return undefined;
  if (retire) {
    return grants.flatMap((g) => [asGrantLike(g), ...(g.retiringPrincipal ? [{ grantId: g.grantId, granteePrincipal: g.retiringPrincipal, operations: ['RetireGrant'] }] : [])]);
  }
  let likes = grantLikes.get(grants);
  if (!likes) grantLikes.set(grants, (likes = grants.map(asGrantLike)));
  return likes;
}

const delegations = new Map<string, string>();
function delegateToAccount(account: string): string {
  let text = delegations.get(account);
  if (!text) {
    text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: '*', Resource: '*' }] });
    delegations.set(account, text);
  }
  return text;
}
