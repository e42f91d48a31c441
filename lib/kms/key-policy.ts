/**
 * The policy editor's server side: read a key's policy with what the editor needs around it (the key's
 * usage, the console's identity, known principals, the history of saves), save with the console's own
 * lockout check in front of KMS's. The history of saves is read from the console's audit log.
 */
import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand, ListGrantsCommand, PutKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { noteAuditDetail } from '@/lib/audit/context';
import { auditEntriesForKey, type AuditActor } from '@/lib/audit/log';
import { stsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import { DEFAULT_IDENTITIES } from '@/lib/emulator';
import { parsePolicy, wouldLockOut, type PolicyDocument } from '@/lib/policy';
import { sharedStore } from '@/lib/store/shared';
import type { KeyPolicyPayload, PolicyHistoryEntry, SavePolicyResult } from './key-policy-types';
import { knownPrincipals, recentKmsCallers } from './principals';
import { withThrottleRetry } from './throttle-retry';

/**
 * The history file (JSON lines) where this console kept the policies it saved before the audit log
 * existed. Read-only now: new saves are in the audit log, and old ones stay visible from here.
 */
export function historyFile(dataDir = getConfig().dataDir): string {
  return path.join(dataDir, 'console', 'policy-history.jsonl');
}

async function readHistoryFile(keyArn: string, file = historyFile()): Promise<PolicyHistoryEntry[]> {
  let text: string;
  try {
    text = await fs.readFile(/*turbopackIgnore: true*/ file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: PolicyHistoryEntry[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const entry = JSON.parse(line) as Omit<PolicyHistoryEntry, 'id'>;
      if (entry.keyArn === keyArn) entries.push({ ...entry, id: `file:${i + 1}` });
    } catch {
      // A torn last line (a crash mid-append) is skipped; the lines before it are intact.
    }
  });
  return entries.reverse();
}

const HISTORY_LIMIT = 100;

const actorLabel = (actor: AuditActor) => (actor.role ? `${actor.name} (${actor.role})` : actor.name);

/**
 * The key's policy versions, newest first: each successful PutKeyPolicy in the console's audit log (who,
 * when, the document), the policy found on the key before the first of them, and older saves from the
 * history file. Entries name the key as the action's input did: its id or its ARN.
 */
export async function policyHistory(keyId: string, keyArn: string): Promise<PolicyHistoryEntry[]> {
  const store = await sharedStore();
  const [audited, fromFile] = await Promise.all([auditEntriesForKey(store.db, 'PutKeyPolicy', [...new Set([keyId, keyArn])], HISTORY_LIMIT), readHistoryFile(keyArn)]);
  const history: PolicyHistoryEntry[] = [];
  for (const entry of audited) {
    const params = (entry.params ?? {}) as { policy?: unknown; bypassLockoutCheck?: unknown; details?: { refused?: unknown } };
    if (typeof params.policy !== 'string' || params.details?.refused) continue;
    history.push({ id: `audit:${entry.seq}`, keyArn, savedAt: entry.timeMs, by: actorLabel(entry.actor), kind: 'saved', bypassLockoutCheck: params.bypassLockoutCheck === true, policy: params.policy });
  }
  const oldest = audited.findLast((e) => !(e.params as { details?: { refused?: unknown } } | null)?.details?.refused);
  const before = (oldest?.params as { details?: { previousPolicy?: unknown } } | null)?.details?.previousPolicy;
  // Only when the first save is among those read (the newest HISTORY_LIMIT): then its predecessor is the original.
  if (oldest && typeof before === 'string' && fromFile.length === 0 && audited.length < HISTORY_LIMIT) {
    history.push({ id: `audit:${oldest.seq}:before`, keyArn, savedAt: oldest.timeMs - 1, by: 'the key, before this console first changed it', kind: 'before-first-save', bypassLockoutCheck: false, policy: before });
  }
  return [...history, ...fromFile].sort((a, b) => b.savedAt - a.savedAt);
}

export interface ConsoleIdentity {
  arn: string;
  account: string;
  /** The identity's IAM policies when known (demo mode); undefined in AWS mode. */
  identityPolicies?: PolicyDocument[];
}

const parseIdentityPolicy = (text: string): PolicyDocument | undefined => {
  const result = parsePolicy(text, { kind: 'identity-policy' });
  return result.ok ? result.policy : undefined;
};

/** The AWS identity the console's SDK clients sign as in `account` (default: the first): the caller PutKeyPolicy's lockout check protects. */
export async function consoleIdentity(region: string, account?: string): Promise<ConsoleIdentity> {
  if (getConfig().mode === 'demo') {
    // clientsFor signs as the emulator's default credentials, test/test: the demo account's administrator.
    const me = DEFAULT_IDENTITIES.find((i) => i.accessKeyId === 'test')!;
    return { arn: me.arn, account: me.accountId, identityPolicies: me.policies.map(parseIdentityPolicy).filter((p): p is PolicyDocument => !!p) };
  }
  // The same credentials as the account's KMS client: an assumed role's session for a second account.
  const me = await stsFor({ region, account }).send(new GetCallerIdentityCommand({}));
  return { arn: me.Arn ?? '', account: me.Account ?? '' };
}

/** The key's alias names, every page of ListAliases for its KeyId. */
async function aliasesOf(kms: KMSClient, keyId: string): Promise<string[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await withThrottleRetry(() => kms.send(new ListAliasesCommand({ KeyId: keyId, Marker, Limit: 100 })));
    for (const a of page.Aliases ?? []) if (a.AliasName) names.push(a.AliasName);
    Marker = page.Truncated ? page.NextMarker : undefined;
  } while (Marker);
  return names.sort();
}

export async function loadKeyPolicy(clients: { kms: KMSClient; cloudtrail: CloudTrailClient }, keyId: string, region: string, accountName?: string): Promise<KeyPolicyPayload> {
  const { kms, cloudtrail } = clients;
  const { KeyMetadata: meta } = await withThrottleRetry(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  if (!meta?.Arn) throw Object.assign(new Error(`DescribeKey returned no metadata for ${keyId}.`), { name: 'NotFoundException' });
  const [{ Policy: policy = '' }, caller, callers, grants, history, aliases] = await Promise.all([
    withThrottleRetry(() => kms.send(new GetKeyPolicyCommand({ KeyId: meta.Arn, PolicyName: 'default' }))),
    consoleIdentity(region, accountName),
    recentKmsCallers(cloudtrail).catch(() => [] as string[]),
    withThrottleRetry(() => kms.send(new ListGrantsCommand({ KeyId: meta.Arn, Limit: 100 }))).catch(() => ({ Grants: [] })),
    policyHistory(meta.KeyId ?? keyId, meta.Arn),
    aliasesOf(kms, meta.KeyId ?? keyId),
  ]);
  const account = meta.AWSAccountId ?? '';
  const demo = getConfig().mode === 'demo';

  const known = knownPrincipals({
    account,
    consoleCaller: caller.arn || undefined,
    policy,
    granteePrincipals: (grants.Grants ?? []).flatMap((g) => (g.GranteePrincipal ? [g.GranteePrincipal] : [])),
    callers,
    demoIdentities: demo ? DEFAULT_IDENTITIES : undefined,
  });
  return {
    keyId: meta.KeyId ?? keyId,
    keyArn: meta.Arn,
    account,
    keyUsage: meta.KeyUsage ?? 'ENCRYPT_DECRYPT',
    keySpec: meta.KeySpec ?? 'SYMMETRIC_DEFAULT',
    keyManager: meta.KeyManager ?? 'CUSTOMER',
    origin: meta.Origin ?? 'AWS_KMS',
    multiRegion: meta.MultiRegion ?? false,
    ...(meta.MultiRegionConfiguration?.MultiRegionKeyType ? { multiRegionKeyType: meta.MultiRegionConfiguration.MultiRegionKeyType } : {}),
    aliases,
    policy,
    caller: caller.arn,
    iamKnown: demo,
    knownPrincipals: known,
    history,
  };
}

/** Everything allowed: what "the caller's IAM policies" are assumed to be when the console cannot read them (AWS mode). */
const ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

export async function saveKeyPolicy(kms: KMSClient, input: { keyId: string; region: string; account?: string; policy: string; bypassLockoutCheck: boolean }): Promise<SavePolicyResult> {
  const { KeyMetadata: meta } = await withThrottleRetry(() => kms.send(new DescribeKeyCommand({ KeyId: input.keyId })));
  const keyArn = meta?.Arn ?? input.keyId;
  const caller = await consoleIdentity(input.region, input.account);
  const parsed = parsePolicy(input.policy);
  if (parsed.ok && !input.bypassLockoutCheck) {
    const identityPolicies = caller.identityPolicies ?? [parseIdentityPolicy(ALLOW_ALL)!];
    if (wouldLockOut(parsed.policy, { arn: caller.arn, account: caller.account }, identityPolicies, keyArn)) {
      // The action succeeds without a change: its audit entry says so, and the history skips it.
      noteAuditDetail('refused', 'lockout');
      return {
        status: 'lockout',
        explanation: `With this policy the console's identity (${caller.arn}) could no longer call kms:PutKeyPolicy on this key, so no one using this console could change the policy again. Keep a statement that lets the account root or an administrator call kms:PutKeyPolicy, or bypass the lockout safety check on purpose.`,
      };
    }
  }
  // A malformed policy goes to KMS anyway: its MalformedPolicyDocumentException is the authoritative answer.
  // The policy it replaces goes into the audit entry, so the history can show (and restore) the version
  // from before the console's first change.
  const { Policy: before } = await withThrottleRetry(() => kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' })));
  if (before !== undefined) noteAuditDetail('previousPolicy', before);
  await kms.send(new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: input.policy, BypassPolicyLockoutSafetyCheck: input.bypassLockoutCheck }));
  // The audit entry is written when the action returns; this is what it will say.
  return { status: 'saved', entry: { id: 'pending', keyArn, savedAt: Date.now(), by: caller.arn, kind: 'saved', bypassLockoutCheck: input.bypassLockoutCheck, policy: input.policy } };
}
