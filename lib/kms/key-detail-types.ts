/** One key's metadata for its detail page, as JSON. */
import type { KeyRow } from './inventory-types';

export interface KeyDetail {
  row: KeyRow;
  arn: string;
  account: string;
  enabled: boolean;
  encryptionAlgorithms: string[];
  signingAlgorithms: string[];
  macAlgorithms: string[];
  keyAgreementAlgorithms: string[];
  expirationModel?: string;
  pendingDeletionWindowDays?: number;
}
