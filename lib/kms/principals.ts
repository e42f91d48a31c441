/**
 * An account's principals, as the console can know them without IAM — the one place for both lists:
 * - the key wizard's (listPrincipals): the account root, and the IAM users and roles seen calling KMS in
 *   the region's recent CloudTrail events (LookupEvents), an assumed-role session listed as its role, which
 *   is what a key policy names;
 * - the policy editor's (knownPrincipals): everyone the key's policy and grants name, the console's own
 *   identity and the recent callers as they called (a session, which the simulator asks about), with the
 *   demo account's IAM identities and their policies in demo mode.
 */
import 'server-only';
import { LookupEventsCommand, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import { ListAliasesCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, stsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import type { Identity } from '@/lib/emulator';
import { parsePolicy } from '@/lib/policy';
import { normalizePrincipal, principalLabel, principalsInPolicy } from '@/lib/policy/access';
import type { Scope } from './inventory-types';
import type { KnownPrincipal } from './key-policy-types';
import { consoleContext } from './scope';
import { withThrottleRetry, type RetryOptions } from './throttle-retry';

export type PrincipalKind = 'root' | 'user' | 'role';

export interface Principal {
  arn: string;
  kind: PrincipalKind;
  /** The user or role name, or the account id for a root. */
  name: string;
  account: string;
  /** When this principal last called KMS in the events read (ISO 8601); absent for the account root when not seen. */
  lastSeen?: string;
}

export interface PrincipalList {
  account: string;
  principals: Principal[];
  /** CloudTrail events read. */
  eventsRead: number;
  /** More events exist than were read. */
  truncated: boolean;
  /** CloudTrail could not be read (the root is still listed). */
  error?: { name: string; message: string };
}

export interface ListPrincipalsOptions {
  /** LookupEvents pages of 50 to read at most per lookup; each costs one of the 2 requests per second AWS allows. */
  maxPages?: number;
  retry?: RetryOptions;
}

interface UserIdentity {
  type?: string;
  arn?: string;
  accountId?: string;
  sessionContext?: { sessionIssuer?: { type?: string; arn?: string; accountId?: string } };
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}):(.+)$/;

/** The principal a key policy would name for a CloudTrail userIdentity, or null (AWS services, federated users …). */
export function principalOfIdentity(identity: UserIdentity | undefined): Principal | null {
  if (!identity) return null;
  if (identity.type === 'Root' && identity.accountId) return rootPrincipal(identity.accountId);
  const arn = identity.type === 'AssumedRole' ? identity.sessionContext?.sessionIssuer?.arn : identity.type === 'IAMUser' ? identity.arn : undefined;
  if (!arn) return null;
  const match = ARN.exec(arn);
  if (!match || match[2] !== 'iam') return null;
  const resource = match[4];
  const kind = resource.startsWith('role/') ? 'role' : resource.startsWith('user/') ? 'user' : null;
  if (!kind) return null;
  return { arn, kind, name: resource.split('/').pop() ?? resource, account: match[3] };
}

export const rootPrincipal = (account: string): Principal => ({ arn: `arn:aws:iam::${account}:root`, kind: 'root', name: account, account });

/**
 * Two lookups, newest first: the region's KMS events (who uses keys), and its write events of any service
 * (who manages things; rarer, so easily pushed out of the first). Each reads up to `maxPages` pages of 50.
 */
const LOOKUPS = [
  { AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' },
  { AttributeKey: 'ReadOnly', AttributeValue: 'false' },
] as const;

/**
 * The events of one lookup, newest first, page by page (50 events a page, at most `maxPages`), each with
 * its record's userIdentity (undefined when the record does not parse); the last page says whether more remain.
 */
async function* lookupIdentities(
  cloudtrail: CloudTrailClient,
  attribute: (typeof LOOKUPS)[number],
  maxPages: number,
  retry?: RetryOptions,
): AsyncGenerator<{ event: Event; identity: UserIdentity | undefined } | { truncated: true }> {
  let NextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await withThrottleRetry(() => cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ ...attribute }], MaxResults: 50, NextToken })), retry);
    for (const event of answer.Events ?? []) {
      let identity: UserIdentity | undefined;
      try {
        identity = (JSON.parse(event.CloudTrailEvent ?? '{}') as { userIdentity?: UserIdentity }).userIdentity;
      } catch {
        // An event without a parsable record names no caller.
      }
      yield { event, identity };
    }
    NextToken = answer.NextToken;
    if (!NextToken) return;
    if (page === maxPages - 1) yield { truncated: true };
  }
}

export async function listPrincipals(cloudtrail: CloudTrailClient, account: string, options: ListPrincipalsOptions = {}): Promise<PrincipalList> {
  const maxPages = options.maxPages ?? 3;
  const seen = new Map<string, Principal>();
  const root = rootPrincipal(account);
  seen.set(root.arn, root);
  const eventIds = new Set<string>();
  let truncated = false;
  let error: PrincipalList['error'];
  try {
    for (const attribute of LOOKUPS) {
      for await (const item of lookupIdentities(cloudtrail, attribute, maxPages, options.retry)) {
        if ('truncated' in item) {
          truncated = true;
          continue;
        }
        const { event, identity } = item;
        if (event.EventId) {
          if (eventIds.has(event.EventId)) continue;
          eventIds.add(event.EventId);
        }
        const principal = principalOfIdentity(identity);
        if (!principal) continue;
        const at = event.EventTime?.toISOString();
        const known = seen.get(principal.arn);
        if (!known) seen.set(principal.arn, { ...principal, lastSeen: at });
        else if (at && (!known.lastSeen || at > known.lastSeen)) known.lastSeen = at;
      }
    }
  } catch (cause) {
    error = cause instanceof Error ? { name: cause.name, message: cause.message } : { name: 'Error', message: String(cause) };
  }
  const principals = [...seen.values()].sort(comparePrincipals(account));
  return { account, principals, eventsRead: eventIds.size, truncated, ...(error ? { error } : {}) };
}

/** The callers of KMS in the region's newest events (`pages` of 50), as they called: a session's ARN, not its role's. */
export async function recentKmsCallers(cloudtrail: CloudTrailClient, pages = 2): Promise<string[]> {
  const arns = new Set<string>();
  for await (const item of lookupIdentities(cloudtrail, LOOKUPS[0], pages)) {
    if ('identity' in item && item.identity?.arn) arns.add(item.identity.arn);
  }
  return [...arns];
}

export interface KnownPrincipalsInput {
  /** The key's account. */
  account: string;
  /** The identity the console signs as, when known. */
  consoleCaller?: string;
  /** The key policy as text (one that does not parse names no one). */
  policy: string;
  granteePrincipals: string[];
  /** Recent callers of KMS (recentKmsCallers). */
  callers: string[];
  /** Demo mode: the emulator's identities, whose IAM policies the console then knows; undefined in AWS mode. */
  demoIdentities?: readonly Identity[];
}

/**
 * The policy editor's principals of a key, each once with every source it came from: the account root, the
 * console's identity, the principals the policy names, the grantees, the recent callers and, in demo mode,
 * the demo account's IAM identities, with their IAM policies (and none for a root, whose access needs none).
 */
export function knownPrincipals(input: KnownPrincipalsInput): KnownPrincipal[] {
  const { account } = input;
  const known = new Map<string, KnownPrincipal>();
  const add = (id: string, source: KnownPrincipal['sources'][number]) => {
    const key = normalizePrincipal(id);
    const entry = known.get(key) ?? { id: key, label: principalLabel(key, account), sources: [] };
    if (!entry.sources.includes(source)) entry.sources.push(source);
    known.set(key, entry);
  };
  add(`arn:aws:iam::${account}:root`, 'account');
  if (input.consoleCaller) add(input.consoleCaller, 'console');
  const parsed = parsePolicy(input.policy);
  if (parsed.ok) for (const p of principalsInPolicy(parsed.policy)) add(p, 'policy');
  for (const grantee of input.granteePrincipals) add(grantee, 'grant');
  for (const arn of input.callers) add(arn, 'cloudtrail');
  if (input.demoIdentities) {
    // The demo account's IAM: the emulator's identities and their policies, as IAM would list them.
    for (const identity of input.demoIdentities) if (identity.accountId === account) add(identity.arn, 'account');
    for (const identity of input.demoIdentities) {
      const entry = known.get(identity.arn);
      if (entry) entry.identityPolicies = identity.policies;
    }
    for (const entry of known.values()) if (!entry.identityPolicies && entry.id.endsWith(':root')) entry.identityPolicies = [];
  }
  return [...known.values()];
}

const KIND_ORDER: Record<PrincipalKind, number> = { root: 0, role: 1, user: 2 };

/** The account's root first, then this account's roles and users, then other accounts'. */
const comparePrincipals = (account: string) => (a: Principal, b: Principal) =>
  Number(a.account !== account) - Number(b.account !== account) || a.account.localeCompare(b.account) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name);

/**
 * The id of the account the KMS client works in, from the ARN of any alias (AWS lists its predefined
 * `alias/aws/…` aliases in every account and region), or null when the region has none.
 */
export async function accountFromAliases(kms: KMSClient): Promise<string | null> {
  const answer = await kms.send(new ListAliasesCommand({ Limit: 1 }));
  const arn = answer.Aliases?.[0]?.AliasArn;
  return arn?.split(':')[4] ?? null;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account whose root a new key's policy names: the console's configured account when it is an id,
 * else the account of the region's aliases, else the caller's (STS GetCallerIdentity, passed in).
 */
export async function resolveAccountId(contextAccount: string, kms: KMSClient, callerAccount?: () => Promise<string | undefined>): Promise<string> {
  if (ACCOUNT_ID.test(contextAccount)) return contextAccount;
  const fromAliases = await accountFromAliases(kms).catch(() => null);
  if (fromAliases && ACCOUNT_ID.test(fromAliases)) return fromAliases;
  const fromCaller = await callerAccount?.().catch(() => undefined);
  if (fromCaller && ACCOUNT_ID.test(fromCaller)) return fromCaller;
  throw Object.assign(new Error('Keydeck could not tell which AWS account it works in (no alias in this region, and STS GetCallerIdentity failed).'), {
    name: 'AccountUnknown',
  });
}

/** The id of the scope's account (see resolveAccountId: its configured id first), remembered once known. */
const accounts = new Map<string, Promise<string>>();
export function consoleAccountId(scope: Scope): Promise<string> {
  const cacheKey = `${scope.account}/${scope.region}`;
  let account = accounts.get(cacheKey);
  if (!account) {
    const callerAccount = async () => (getConfig().mode === 'aws' ? (await stsFor(scope).send(new GetCallerIdentityCommand({}))).Account : undefined);
    const configured = consoleContext().accounts.find((a) => a.name === scope.account);
    account = resolveAccountId(configured?.accountId ?? scope.account, clientsFor(scope).kms, callerAccount);
    accounts.set(cacheKey, account);
    account.catch(() => accounts.delete(cacheKey));
  }
  return account;
}

/** The principal list of the scope's account and region. */
export async function consolePrincipals(scope: Scope): Promise<PrincipalList> {
  return listPrincipals(clientsFor(scope).cloudtrail, await consoleAccountId(scope));
}
