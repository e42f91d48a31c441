/** A key's tags: add or replace values (TagResource), remove (UntagResource), rename a key (tag, then untag). */
import 'server-only';
import { TagResourceCommand, UntagResourceCommand, type KMSClient } from '@aws-sdk/client-kms';

export async function tagKey(kms: KMSClient, keyId: string, tags: Record<string, string>): Promise<void> {
  await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) }));
}

export async function untagKey(kms: KMSClient, keyId: string, tagKeys: string[]): Promise<void> {
  await kms.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: tagKeys }));
}

/** Sets one tag; when its key changed (`previousKey`), the old key is removed after the new one is written. */
export async function putTag(kms: KMSClient, keyId: string, tag: { key: string; value: string; previousKey?: string }): Promise<void> {
  await tagKey(kms, keyId, { [tag.key]: tag.value });
  if (tag.previousKey !== undefined && tag.previousKey !== tag.key) await untagKey(kms, keyId, [tag.previousKey]);
}
