/** The calls of a manual rotation (see key-manual-rotation-plan.ts): create a key like another one, then move aliases with key-aliases.ts. */
import 'server-only';
import { CreateKeyCommand, GetKeyPolicyCommand, type KMSClient, type KeySpec, type KeyUsageType, type OriginType } from '@aws-sdk/client-kms';
import { describeKey } from './key-detail';
import { listTags } from './key-tag-list';

import type { CreatedKey } from './create-key';

export type { CreatedKey };

/** CreateKey with `sourceKeyId`'s spec, usage, origin, multi-Region flag, description, tags and key policy. */
export async function createKeyLike(kms: KMSClient, sourceKeyId: string): Promise<CreatedKey> {
  const source = await describeKey(kms, sourceKeyId);
  const [tags, { Policy }] = await Promise.all([listTags(kms, source.KeyId!), kms.send(new GetKeyPolicyCommand({ KeyId: source.KeyId!, PolicyName: 'default' }))]);
  const out = await kms.send(
    new CreateKeyCommand({
      KeySpec: source.KeySpec as KeySpec,
      KeyUsage: source.KeyUsage as KeyUsageType,
      Origin: source.Origin as OriginType,
      MultiRegion: source.MultiRegion,
      Description: source.Description,
      Policy,
      Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    }),
  );
  const metadata = out.KeyMetadata!;
  return { keyId: metadata.KeyId!, arn: metadata.Arn ?? '', keyState: metadata.KeyState ?? '' };
}
