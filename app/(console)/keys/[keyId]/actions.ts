'use server';
/**
 * The key detail page's writes. Each: zod input → a lib/kms function over the region's KMS client →
 * the server's inventory cache for that region dropped, so the key list shows the change at once.
 */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { clientsFor } from '@/lib/aws/clients';
import { invalidateInventory } from '@/lib/kms/inventory-cache';
import { createAlias, deleteAlias, renameAlias, retargetAlias } from '@/lib/kms/key-aliases';
import { cancelKeyDeletion, disableKey, enableKey, scheduleKeyDeletion, updateKeyDescription } from '@/lib/kms/key-lifecycle';
import { aliasNameError, DELETION_WINDOW, descriptionError, ROTATION_PERIOD, tagKeyError, tagValueError } from '@/lib/kms/key-limits';
import { createKeyLike } from '@/lib/kms/key-manual-rotation';
import { replicateKey } from '@/lib/kms/key-replication';
import { disableKeyRotation, enableKeyRotation, rotateKeyNow } from '@/lib/kms/key-rotation';
import { putTag, untagKey } from '@/lib/kms/key-tags';
import { consoleContext } from '@/lib/kms/scope';

/** A string that passes one of lib/kms/key-limits.ts's checks, with its message when it does not. */
const checked = (error: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const message = error(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const region = z.string().refine((r) => consoleContext().regions.includes(r), { message: 'Not one of the console’s regions.' });
const keyId = z.string().min(1).max(2048);
const aliasName = checked(aliasNameError);
const target = z.object({ region, keyId });

const kmsIn = (r: string) => clientsFor({ region: r }).kms;

export const setKeyEnabledAction = defineAction({
  name: 'SetKeyEnabled',
  role: 'operator',
  input: target.extend({ enabled: z.boolean() }),
  run: async ({ region, keyId, enabled }) => {
    await (enabled ? enableKey : disableKey)(kmsIn(region), keyId);
    invalidateInventory(region, [keyId]);
    return { enabled };
  },
});

export const scheduleKeyDeletionAction = defineAction({
  name: 'ScheduleKeyDeletion',
  role: 'admin',
  input: target.extend({ pendingWindowInDays: z.number().int().min(DELETION_WINDOW.min).max(DELETION_WINDOW.max) }),
  run: async ({ region, keyId, pendingWindowInDays }) => {
    const result = await scheduleKeyDeletion(kmsIn(region), keyId, pendingWindowInDays);
    invalidateInventory(region, [keyId]);
    return result;
  },
});

export const cancelKeyDeletionAction = defineAction({
  name: 'CancelKeyDeletion',
  role: 'admin',
  input: target,
  run: async ({ region, keyId }) => {
    const result = await cancelKeyDeletion(kmsIn(region), keyId);
    invalidateInventory(region, [keyId]);
    return result;
  },
});

export const updateDescriptionAction = defineAction({
  name: 'UpdateKeyDescription',
  role: 'operator',
  input: target.extend({ description: checked(descriptionError) }),
  run: async ({ region, keyId, description }) => {
    await updateKeyDescription(kmsIn(region), keyId, description);
    invalidateInventory(region, [keyId]);
    return { description };
  },
});

export const setRotationAction = defineAction({
  name: 'SetKeyRotation',
  role: 'operator',
  input: target.extend({ enabled: z.boolean(), periodDays: z.number().int().min(ROTATION_PERIOD.min).max(ROTATION_PERIOD.max).optional() }),
  run: async ({ region, keyId, enabled, periodDays }) => {
    if (enabled) await enableKeyRotation(kmsIn(region), keyId, periodDays ?? ROTATION_PERIOD.default);
    else await disableKeyRotation(kmsIn(region), keyId);
    invalidateInventory(region, [keyId]);
    return { enabled };
  },
});

export const rotateKeyNowAction = defineAction({
  name: 'RotateKeyOnDemand',
  role: 'operator',
  input: target,
  run: async ({ region, keyId }) => {
    await rotateKeyNow(kmsIn(region), keyId);
    invalidateInventory(region, [keyId]);
    return { rotated: true };
  },
});

export const createAliasAction = defineAction({
  name: 'CreateAlias',
  role: 'operator',
  input: target.extend({ aliasName }),
  run: async ({ region, keyId, aliasName }) => {
    await createAlias(kmsIn(region), aliasName, keyId);
    invalidateInventory(region, [keyId]);
    return { aliasName };
  },
});

export const renameAliasAction = defineAction({
  name: 'RenameAlias',
  role: 'operator',
  input: target.extend({ from: aliasName, to: aliasName }),
  run: async ({ region, keyId, from, to }) => {
    await renameAlias(kmsIn(region), from, to, keyId);
    invalidateInventory(region, [keyId]);
    return { aliasName: to };
  },
});

/** UpdateAlias: `keyId` is the key the alias moves to. */
export const retargetAliasAction = defineAction({
  name: 'UpdateAlias',
  role: 'operator',
  input: target.extend({ aliasName }),
  run: async ({ region, keyId, aliasName }) => {
    await retargetAlias(kmsIn(region), aliasName, keyId);
    invalidateInventory(region);
    return { aliasName, keyId };
  },
});

export const deleteAliasAction = defineAction({
  name: 'DeleteAlias',
  role: 'operator',
  input: z.object({ region, aliasName }),
  run: async ({ region, aliasName }) => {
    await deleteAlias(kmsIn(region), aliasName);
    invalidateInventory(region);
    return { aliasName };
  },
});

export const putTagAction = defineAction({
  name: 'TagResource',
  role: 'operator',
  input: target.extend({ key: checked(tagKeyError), value: checked(tagValueError), previousKey: z.string().min(1).max(128).optional() }),
  run: async ({ region, keyId, key, value, previousKey }) => {
    await putTag(kmsIn(region), keyId, { key, value, previousKey });
    invalidateInventory(region, [keyId]);
    return { key };
  },
});

export const removeTagAction = defineAction({
  name: 'UntagResource',
  role: 'operator',
  input: target.extend({ key: z.string().min(1).max(128) }),
  run: async ({ region, keyId, key }) => {
    await untagKey(kmsIn(region), keyId, [key]);
    invalidateInventory(region, [keyId]);
    return { key };
  },
});

export const replicateKeyAction = defineAction({
  name: 'ReplicateKey',
  role: 'admin',
  input: target.extend({ replicaRegion: region }),
  run: async ({ region, keyId, replicaRegion }) => {
    const replica = await replicateKey(kmsIn(region), keyId, replicaRegion);
    invalidateInventory(region, [keyId]);
    invalidateInventory(replicaRegion, [keyId]);
    return replica;
  },
});

/** The first step of a manual rotation: a new key like `keyId`. */
export const createReplacementKeyAction = defineAction({
  name: 'CreateKey',
  role: 'admin',
  input: target,
  run: async ({ region, keyId }) => {
    const created = await createKeyLike(kmsIn(region), keyId);
    invalidateInventory(region, [created.keyId]);
    return created;
  },
});
