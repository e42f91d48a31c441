/** One key's detail page data as JSON (dates as epoch ms), and the shapes of its sub-resources. */
import type { KeyRow, KmsErrorInfo } from './inventory-types';

export interface RegionalKey {
  arn: string;
  region: string;
}

export interface MultiRegionInfo {
  type: 'PRIMARY' | 'REPLICA';
  primary: RegionalKey;
  replicas: RegionalKey[];
}

/** GetKeyLastUsage: the last successful cryptographic operation, if any since tracking started. */
export type LastUsage =
  | { ok: true; operation?: string; at?: number; requestId?: string; trackingStartAt?: number }
  | { ok: false; error: KmsErrorInfo };

export interface KeyDetail {
  row: KeyRow;
  arn: string;
  account: string;
  region: string;
  enabled: boolean;
  encryptionAlgorithms: string[];
  signingAlgorithms: string[];
  macAlgorithms: string[];
  keyAgreementAlgorithms: string[];
  expirationModel?: string;
  /** When imported key material expires (ValidTo). */
  validTo?: number;
  pendingDeletionWindowDays?: number;
  multiRegion: MultiRegionInfo | null;
  lastUsage: LastUsage;
}

export interface RotationEntry {
  materialId: string;
  /** CURRENT or NON_CURRENT (and the import states for EXTERNAL keys). */
  state: string;
  type?: 'AUTOMATIC' | 'ON_DEMAND';
  at?: number;
}

export interface RotationPage {
  rotations: RotationEntry[];
  nextMarker?: string;
  /** On the first page: how many on-demand rotations this key has used (of ON_DEMAND_ROTATION_LIMIT). */
  onDemandUsed?: number;
}

export interface ActivityEvent {
  id: string;
  at: number;
  name: string;
  /** The caller: the IAM ARN when the record has one, else CloudTrail's user name. */
  caller: string;
  sourceIp?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly: boolean;
}

/** Which events of a key the activity list shows. */
export type ActivityFilter = 'all' | 'no-reads' | 'changes';

export interface ActivityPage {
  events: ActivityEvent[];
  nextToken?: string;
}

export interface KeyPolicyView {
  /** The policy pretty-printed (2-space JSON), or verbatim when it does not parse. */
  policy: string;
}
