/**
 * The demo's first dozen keys, one of each kind a security team meets, made through the KMS API itself
 * so the demo state is exactly what a real account would hold. demo-account.ts builds the rest of the
 * account around them.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  ListKeysCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type CreateKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';

interface DemoKey {
  alias: string;
  key: CreateKeyCommandInput;
  rotationDays?: number;
  rotateOnDemand?: boolean;
  disable?: boolean;
  scheduleDeletionDays?: number;
}

const tags = (team: string, env: string) => [
  { TagKey: 'team', TagValue: team },
  { TagKey: 'env', TagValue: env },
];

export const DEMO_KEYS: DemoKey[] = [
  { alias: 'alias/payments/card-data', key: { Description: 'Encrypts cardholder data (PCI scope)', Tags: tags('payments', 'prod') }, rotationDays: 365, rotateOnDemand: true },
  { alias: 'alias/payments/tokens', key: { Description: 'Data keys for payment tokens', Tags: tags('payments', 'prod') }, rotationDays: 90 },
  { alias: 'alias/platform/secrets', key: { Description: 'Application secrets in parameter files', Tags: tags('platform', 'prod') } },
  { alias: 'alias/platform/staging', key: { Description: 'Staging workloads', Tags: tags('platform', 'staging') }, disable: true },
  { alias: 'alias/legacy/reports', key: { Description: 'Old reporting pipeline, being retired', Tags: tags('data', 'prod') }, scheduleDeletionDays: 30 },
  { alias: 'alias/release/code-signing', key: { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', Description: 'Signs release artifacts', Tags: tags('release', 'prod') } },
  { alias: 'alias/identity/jwt', key: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'Signs session tokens (ES256)', Tags: tags('identity', 'prod') } },
  { alias: 'alias/partners/exchange', key: { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'Partners encrypt files to us with the public key', Tags: tags('partners', 'prod') } },
  { alias: 'alias/webhooks/hmac', key: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'Signs outgoing webhooks', Tags: tags('platform', 'prod') } },
  { alias: 'alias/devices/ecdh', key: { KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT', Description: 'Key agreement with field devices', Tags: tags('iot', 'prod') } },
  { alias: 'alias/firmware/pq-signing', key: { KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY', Description: 'Post-quantum firmware signing (ML-DSA-65)', Tags: tags('iot', 'prod') } },
  { alias: 'alias/wallet/secp256k1', key: { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', Description: 'Blockchain transaction signing', Tags: tags('crypto-desk', 'sandbox') } },
];

/**
 * Creates the demo keys when the account's region holds none; returns how many it created. With
 * `deferDeletions`, the keys meant to be pending deletion are left for `scheduleDemoDeletions`, so a
 * seed that replays history first does not see them deleted before the demo starts.
 */
export async function seedDemoKeys(kms: KMSClient, { deferDeletions = false } = {}): Promise<number> {
  const { Keys } = await kms.send(new ListKeysCommand({ Limit: 1 }));
  if (Keys && Keys.length > 0) return 0;
  for (const demo of DEMO_KEYS) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand(demo.key));
    const KeyId = KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: demo.alias, TargetKeyId: KeyId }));
    if (demo.rotationDays) await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: demo.rotationDays }));
    if (demo.rotateOnDemand) await kms.send(new RotateKeyOnDemandCommand({ KeyId }));
    if (demo.disable) await kms.send(new DisableKeyCommand({ KeyId }));
  }
  if (!deferDeletions) await scheduleDemoDeletions(kms);
  return DEMO_KEYS.length;
}

/** Schedules the deletion of the demo keys that are meant to be pending deletion. */
export async function scheduleDemoDeletions(kms: KMSClient): Promise<void> {
  for (const demo of DEMO_KEYS) {
    if (!demo.scheduleDeletionDays) continue;
    // ScheduleKeyDeletion takes a key id or ARN, not an alias.
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: demo.alias }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: demo.scheduleDeletionDays }));
  }
}
