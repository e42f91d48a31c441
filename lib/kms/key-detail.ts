/** Loads one key's metadata, aliases, tags, rotation status, multi-Region set and last use for its detail page. */
import 'server-only';
import { DescribeKeyCommand, GetKeyLastUsageCommand, GetKeyPolicyCommand, ListAliasesCommand, type KMSClient, type KeyMetadata } from '@aws-sdk/client-kms';
import { enrichRow, errorInfo, rowFromMetadata, type Call } from './inventory';
import type { KeyDetail, KeyPolicyView, LastUsage, MultiRegionInfo } from './key-detail-types';
import { withThrottleRetry } from './throttle-retry';

const call: Call = (send) => withThrottleRetry(send);

/** `arn:aws:kms:eu-west-1:111122223333:key/…` → `eu-west-1` */
export const regionOfArn = (arn: string) => arn.split(':')[3] ?? '';

export async function listKeyAliases(kms: KMSClient, keyId: string): Promise<string[]> {
  const aliases: string[] = [];
  let marker: string | undefined;
  do {
    const page = await call(() => kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 100, Marker: marker })));
    for (const alias of page.Aliases ?? []) if (alias.AliasName) aliases.push(alias.AliasName);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return aliases.sort();
}

export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyMetadata> {
  const { KeyMetadata: metadata } = await call(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  if (!metadata?.KeyId) throw Object.assign(new Error(`DescribeKey returned no metadata for ${keyId}.`), { name: 'NotFoundException' });
  return metadata;
}

function multiRegionOf(metadata: KeyMetadata): MultiRegionInfo | null {
  const config = metadata.MultiRegionConfiguration;
  if (!metadata.MultiRegion || !config?.PrimaryKey?.Arn) return null;
  return {
    type: config.MultiRegionKeyType === 'REPLICA' ? 'REPLICA' : 'PRIMARY',
    primary: { arn: config.PrimaryKey.Arn, region: config.PrimaryKey.Region ?? regionOfArn(config.PrimaryKey.Arn) },
    replicas: (config.ReplicaKeys ?? []).map((r) => ({ arn: r.Arn ?? '', region: r.Region ?? regionOfArn(r.Arn ?? '') })),
  };
}

/** GetKeyLastUsage, kept apart so a refusal (an older region, a narrow IAM policy) leaves the rest of the page. */
export async function loadLastUsage(kms: KMSClient, keyId: string): Promise<LastUsage> {
  try {
    const out = await call(() => kms.send(new GetKeyLastUsageCommand({ KeyId: keyId })));
    return {
      ok: true,
      operation: out.KeyLastUsage?.Operation,
      at: out.KeyLastUsage?.Timestamp?.getTime(),
      requestId: out.KeyLastUsage?.KmsRequestId,
      trackingStartAt: out.TrackingStartDate?.getTime(),
    };
  } catch (error) {
    return { ok: false, error: errorInfo(error) };
  }
}

export async function loadKeyDetail(kms: KMSClient, keyId: string): Promise<KeyDetail> {
  const metadata = await describeKey(kms, keyId);
  const [aliases, lastUsage] = await Promise.all([listKeyAliases(kms, metadata.KeyId!), loadLastUsage(kms, metadata.KeyId!)]);
  const row = await enrichRow(kms, call, rowFromMetadata(metadata, aliases));
  const arn = metadata.Arn ?? '';
  return {
    row,
    arn,
    account: metadata.AWSAccountId ?? '',
    region: regionOfArn(arn),
    enabled: metadata.Enabled === true,
    encryptionAlgorithms: metadata.EncryptionAlgorithms ?? [],
    signingAlgorithms: metadata.SigningAlgorithms ?? [],
    macAlgorithms: metadata.MacAlgorithms ?? [],
    keyAgreementAlgorithms: metadata.KeyAgreementAlgorithms ?? [],
    expirationModel: metadata.ExpirationModel,
    validTo: metadata.ValidTo?.getTime(),
    pendingDeletionWindowDays: metadata.PendingDeletionWindowInDays,
    multiRegion: multiRegionOf(metadata),
    lastUsage,
  };
}

/** The key policy (GetKeyPolicy, policy name `default`), pretty-printed for reading. */
export async function loadKeyPolicy(kms: KMSClient, keyId: string): Promise<KeyPolicyView> {
  const { Policy: policy = '' } = await call(() => kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })));
  try {
    return { policy: JSON.stringify(JSON.parse(policy), null, 2) };
  } catch {
    return { policy };
  }
}
