/** The shape of the key inventory as it travels from the server to the browser: plain JSON, dates as epoch ms. */

/** Which account and region a view of KMS belongs to; part of every query key. */
export interface Scope {
  account: string;
  region: string;
}

/** A KMS exception as the console shows it: its AWS name and message, verbatim. */
export interface KmsErrorInfo {
  name: string;
  message: string;
}

export type KeyType = 'Symmetric' | 'Asymmetric' | 'HMAC';

export interface RotationInfo {
  enabled: boolean;
  periodDays?: number;
  /** When automatic rotation next runs; absent when it is off. */
  nextAt?: number;
}

export interface KeyRow {
  id: string;
  aliases: string[];
  description: string;
  /** KMS KeyState: Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Updating, Creating. */
  state: string;
  manager: 'CUSTOMER' | 'AWS';
  type: KeyType;
  spec: string;
  usage: string;
  origin: string;
  multiRegion: 'PRIMARY' | 'REPLICA' | null;
  /** Null when automatic rotation does not apply (asymmetric, HMAC, imported, AWS managed, pending deletion). */
  rotation: RotationInfo | null;
  createdAt: number;
  deletionAt?: number;
  tags: Record<string, string>;
  /** The first call that failed for this key; the row still shows what was loaded. */
  error?: KmsErrorInfo & { operation: string };
}

export interface Inventory {
  scope: Scope;
  keys: KeyRow[];
  /** When this snapshot was loaded from KMS (the cache serves it until refreshed). */
  refreshedAt: number;
  /** How long the load took, and what it cost in KMS requests. */
  loadMs: number;
  requests: number;
  /** The requests by KMS operation (ListKeys, DescribeKey …) of a full load. */
  requestsByOperation?: Partial<Record<string, number>>;
  throttledRetries: number;
}

export function keyTypeOf(spec: string): KeyType {
  if (spec === 'SYMMETRIC_DEFAULT') return 'Symmetric';
  if (spec.startsWith('HMAC_')) return 'HMAC';
  return 'Asymmetric';
}
