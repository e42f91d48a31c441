/** What the policy editor's route handlers and actions send to the browser: plain JSON. */

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
