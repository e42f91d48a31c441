/** Reads all of a key's tags (ListResourceTags, paged) as a record. */
import 'server-only';
import { ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';

export async function listTags(kms: KMSClient, keyId: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50, Marker: marker }));
    for (const tag of page.Tags ?? []) if (tag.TagKey !== undefined) tags[tag.TagKey] = tag.TagValue ?? '';
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return tags;
}
