/** Loads one key's metadata, aliases, tags and rotation status for its detail page. */
import 'server-only';
import { DescribeKeyCommand, ListAliasesCommand, type KMSClient } from '@aws-sdk/client-kms';
import { enrichRow, rowFromMetadata, type Call } from './inventory';
import type { KeyDetail } from './key-detail-types';
import { withThrottleRetry } from './throttle-retry';

export async function loadKeyDetail(kms: KMSClient, keyId: string): Promise<KeyDetail> {
  const call: Call = (send) => withThrottleRetry(send);
  const { KeyMetadata: metadata } = await call(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  if (!metadata?.KeyId) throw Object.assign(new Error(`DescribeKey returned no metadata for ${keyId}.`), { name: 'NotFoundException' });
  const aliases: string[] = [];
  let marker: string | undefined;
  do {
    const page = await call(() => kms.send(new ListAliasesCommand({ KeyId: metadata.KeyId, Limit: 100, Marker: marker })));
    for (const alias of page.Aliases ?? []) if (alias.AliasName) aliases.push(alias.AliasName);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  const row = await enrichRow(kms, call, rowFromMetadata(metadata, aliases.sort()));
  return {
    row,
    arn: metadata.Arn ?? '',
    account: metadata.AWSAccountId ?? '',
    enabled: metadata.Enabled === true,
    encryptionAlgorithms: metadata.EncryptionAlgorithms ?? [],
    signingAlgorithms: metadata.SigningAlgorithms ?? [],
    macAlgorithms: metadata.MacAlgorithms ?? [],
    keyAgreementAlgorithms: metadata.KeyAgreementAlgorithms ?? [],
    expirationModel: metadata.ExpirationModel,
    pendingDeletionWindowDays: metadata.PendingDeletionWindowInDays,
  };
}
