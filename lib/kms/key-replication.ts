/** Multi-Region keys: replicate a primary key into another Region (ReplicateKey). */
import 'server-only';
import { GetKeyPolicyCommand, ReplicateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describeKey } from './key-detail';
import { listTags } from './key-tag-list';

export interface Replica {
  arn: string;
  region: string;
  keyState: string;
}

/**
 * Creates a replica of the primary key `keyId` in `replicaRegion`, with the primary's description, tags
 * and key policy (ReplicateKey copies none of them by itself; the replica would get the default policy).
 */
export async function replicateKey(kms: KMSClient, keyId: string, replicaRegion: string): Promise<Replica> {
  const metadata = await describeKey(kms, keyId);
  const [tags, { Policy }] = await Promise.all([listTags(kms, metadata.KeyId!), kms.send(new GetKeyPolicyCommand({ KeyId: metadata.KeyId!, PolicyName: 'default' }))]);
  const out = await kms.send(
    new ReplicateKeyCommand({
      KeyId: metadata.KeyId!,
      ReplicaRegion: replicaRegion,
      Description: metadata.Description,
      Policy,
      Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    }),
  );
  return { arn: out.ReplicaKeyMetadata?.Arn ?? '', region: replicaRegion, keyState: out.ReplicaKeyMetadata?.KeyState ?? 'Creating' };
}
