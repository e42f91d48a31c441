/** What the policy editor's route handlers and actions send to the browser: plain JSON. */
import type { KeyFacts } from '@/lib/policy/request-keys';

export interface KnownPrincipal {
  /** An IAM/STS ARN or a service principal. */
  id: string;
  label: string;
  sources: ('policy' | 'grant' | 'cloudtrail' | 'account' | 'console')[];
  /** The principal's IAM policies as JSON text, when the console knows them (demo mode); absent when unknown. */
  identityPolicies?: string[];
}

export interface PolicyHistoryEntry {
  /** Stable: `audit:<seq>` (and `audit:<seq>:before`) for the audit log, `file:<line>` for the old history file. */
  id: string;
  keyArn: string;
  savedAt: number;
  /** Who saved it: the signed-in person and role from the audit log (`anonymous` without sign-in). */
  by: string;
  /** `before-first-save`: the policy found on the key the first time this console changed it. */
  kind: 'saved' | 'before-first-save';
  bypassLockoutCheck: boolean;
  policy: string;
}

export interface KeyPolicyPayload {
  keyId: string;
  keyArn: string;
  account: string;
  keyUsage: string;
  keySpec: string;
  keyManager: string;
  /** The key's origin (AWS_KMS, EXTERNAL …) and whether it is multi-Region, which conditions can test. */
  origin: string;
  multiRegion: boolean;
  multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
  /** The key's alias names (ListAliases with its KeyId): kms:ResourceAliases in the simulator. */
  aliases: string[];
  /** The policy text exactly as KMS returns it. */
  policy: string;
  /** The console's own AWS identity: the caller whose lockout PutKeyPolicy checks. */
  caller: string;
  /** Whether identityPolicies of known principals are real (demo) or unknown (AWS mode). */
  iamKnown: boolean;
  knownPrincipals: KnownPrincipal[];
  history: PolicyHistoryEntry[];
}

export interface GrantRow {
  grantId: string;
  name?: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  issuingAccount?: string;
  operations: string[];
  constraints?: { encryptionContextEquals?: Record<string, string>; encryptionContextSubset?: Record<string, string> };
  createdAt?: number;
}

export type SavePolicyResult =
  | { status: 'saved'; entry: PolicyHistoryEntry }
  /** Refused by the console's own lockout check before calling KMS. */
  | { status: 'lockout'; explanation: string };

/** What KMS knows of the key that policies can test (kms:KeySpec, kms:ResourceAliases …), for the simulator and the access views. */
export function keyFactsOf(payload: Pick<KeyPolicyPayload, 'keySpec' | 'keyUsage' | 'origin' | 'multiRegion' | 'multiRegionKeyType' | 'aliases'>): KeyFacts {
  return {
    keySpec: payload.keySpec,
    keyUsage: payload.keyUsage,
    origin: payload.origin,
    multiRegion: payload.multiRegion,
    ...(payload.multiRegionKeyType ? { multiRegionKeyType: payload.multiRegionKeyType } : {}),
    aliases: payload.aliases,
  };
}
