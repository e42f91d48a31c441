/** Human words for KMS enum values; the raw value stays available as a title and in exports. */

export const STATE_LABELS: Record<string, string> = {
  Enabled: 'Enabled',
  Disabled: 'Disabled',
  PendingDeletion: 'Pending deletion',
  PendingImport: 'Pending import',
  PendingReplicaDeletion: 'Pending replica deletion',
  Unavailable: 'Unavailable',
  Updating: 'Updating',
  Creating: 'Creating',
  Unknown: 'Unknown',
};

export const USAGE_LABELS: Record<string, string> = {
  ENCRYPT_DECRYPT: 'Encrypt & decrypt',
  SIGN_VERIFY: 'Sign & verify',
  GENERATE_VERIFY_MAC: 'Generate & verify MAC',
  KEY_AGREEMENT: 'Key agreement',
};

export const ORIGIN_LABELS: Record<string, string> = {
  AWS_KMS: 'AWS KMS',
  EXTERNAL: 'External (imported)',
  AWS_CLOUDHSM: 'AWS CloudHSM',
  EXTERNAL_KEY_STORE: 'External key store',
};

export const label = (labels: Record<string, string>, value: string) => labels[value] ?? value;
