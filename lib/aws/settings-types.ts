/** What the Settings page shows about how the console reaches AWS: plain JSON, no credentials. */
import type { Mode } from '@/lib/config';
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface RegionHealth {
  region: string;
  /** Whether KMS answered a ListKeys (Limit 1) with the account's credentials. */
  ok: boolean;
  /** Round trip in milliseconds. */
  ms: number;
  error?: KmsErrorInfo;
}

export interface AccountStatus {
  name: string;
  /** The configured account id (absent for the implicit account of the base credentials). */
  accountId?: string;
  roleArn?: string;
  /** STS GetCallerIdentity, or the exact error that stopped it. */
  identity?: CallerIdentity;
  identityError?: KmsErrorInfo;
  regions: RegionHealth[];
}

export interface SettingsStatus {
  mode: Mode;
  checkedAt: number;
  regions: string[];
  defaultRegion: string;
  /** The data dir, shown in demo mode only (where the emulator keeps the keys). */
  dataDir?: string;
  /** AWS_ENDPOINT_URL when set: every SDK client talks to it instead of AWS. */
  endpointUrl?: string;
  accounts: AccountStatus[];
}
