/** Tags: TagResource, UntagResource, ListResourceTags, and the rules CreateKey shares. */
import type { ListResourceTagsRequest, ListResourceTagsResponse, Tag, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-kms';
import { TagException } from '../errors';
import { F } from '../validate';
import { operation, requireNotPendingDeletion, resolveKey } from './context';
import { pageByOffset } from './paging';

export const MAX_TAGS = 50;

export function checkTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const { TagKey } of tags) {
    if (TagKey!.startsWith('aws:')) throw new TagException(`Tag keys beginning with 'aws:' are reserved: ${TagKey}`);
    if (seen.has(TagKey!)) throw new TagException(`Duplicate tag keys in the request: ${TagKey}`);
    seen.add(TagKey!);
  }
}

/** Adds or replaces tags by key, refusing to exceed the quota of 50 tags per key. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.TagKey!, t.TagValue!]));
  for (const t of added) byKey.set(t.TagKey!, t.TagValue!);
  if (byKey.size > MAX_TAGS) throw new TagException(`A KMS key can have at most ${MAX_TAGS} tags; this request would leave ${byKey.size}.`);
  return [...byKey].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

export const TagResource = operation<TagResourceRequest, Record<string, never>>({ KeyId: F.keyId, Tags: { kind: 'tags', required: true } }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  requireNotPendingDeletion(key);
  checkTags(input.Tags!);
  ctx.store.putKey({ ...key, tags: mergeTags(key.tags, input.Tags!) });
  return {};
});

export const UntagResource = operation<UntagResourceRequest, Record<string, never>>(
  { KeyId: F.keyId, TagKeys: { kind: 'stringList', required: true, item: { min: 1, max: 128 } } },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    requireNotPendingDeletion(key);
    const drop = new Set(input.TagKeys);
    if (drop.size > 0) ctx.store.putKey({ ...key, tags: key.tags.filter((t) => !drop.has(t.TagKey!)) });
    return {};
  },
);

export const ListResourceTags = operation<ListResourceTagsRequest, ListResourceTagsResponse>(
  { KeyId: F.keyId, Limit: { kind: 'int', min: 1, max: 50 }, Marker: F.marker },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    const { items, truncated, nextMarker } = pageByOffset(key.tags, input.Limit, input.Marker, 50);
    return { Tags: items, Truncated: truncated, NextMarker: nextMarker };
  },
);
