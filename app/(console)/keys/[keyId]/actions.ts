'use server';
/**
 * The key detail page's writes. Each: zod input, with the account and region it acts in (configured ones
 * only: see scopeFields) → a lib/kms function over that scope's KMS client → the server's inventory cache
 * of that scope told which keys changed, so the key list shows the change at once.
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
import type { Scope } from '@/lib/kms/inventory-types';
import { scopeFields } from '@/lib/kms/scope';

/** A string that passes one of lib/kms/key-limits.ts's checks, with its message when it does not. */
const checked = (error: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const message = error(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const keyId = z.string().min(1).max(2048);
const aliasName = checked(aliasNameError);
const scoped = z.object(scopeFields);
const target = scoped.extend({ keyId });

const kmsIn = (scope: Scope) => clientsFor(scope).kms;

export const setKeyEnabledAction = defineAction({
  name: 'SetKeyEnabled',
  role: 'operator',
  input: target.extend({ enabled: z.boolean() }),
  run: async ({ keyId, enabled, ...scope }) => {
    await (enabled ? enableKey : disableKey)(kmsIn(scope), keyId);
    invalidateInventory(scope, [keyId]);
    return { enabled };
  },
});

export const scheduleKeyDeletionAction = defineAction({
  name: 'ScheduleKeyDeletion',
  role: 'admin',
  input: target.extend({ pendingWindowInDays: z.number().int().min(DELETION_WINDOW.min).max(DELETION_WINDOW.max) }),
  run: async ({ keyId, pendingWindowInDays, ...scope }) => {
    const result = await scheduleKeyDeletion(kmsIn(scope), keyId, pendingWindowInDays);
    invalidateInventory(scope, [keyId]);
    return result;
  },
});

export const cancelKeyDeletionAction = defineAction({
  name: 'CancelKeyDeletion',
  role: 'admin',
  input: target,
  run: async ({ keyId, ...scope }) => {
    const result = await cancelKeyDeletion(kmsIn(scope), keyId);
    invalidateInventory(scope, [keyId]);
    return result;
  },
});

export const updateDescriptionAction = defineAction({
  name: 'UpdateKeyDescription',
  role: 'operator',
  input: target.extend({ description: checked(descriptionError) }),
  run: async ({ keyId, description, ...scope }) => {
    await updateKeyDescription(kmsIn(scope), keyId, description);
    invalidateInventory(scope, [keyId]);
    return { description };
  },
});

export const setRotationAction = defineAction({
  name: 'SetKeyRotation',
  role: 'operator',
  input: target.extend({ enabled: z.boolean(), periodDays: z.number().int().min(ROTATION_PERIOD.min).max(ROTATION_PERIOD.max).optional() }),
  run: async ({ keyId, enabled, periodDays, ...scope }) => {
    if (enabled) await enableKeyRotation(kmsIn(scope), keyId, periodDays ?? ROTATION_PERIOD.default);
    else await disableKeyRotation(kmsIn(scope), keyId);
    invalidateInventory(scope, [keyId]);
    return { enabled };
  },
});

export const rotateKeyNowAction = defineAction({
  name: 'RotateKeyOnDemand',
  role: 'operator',
  input: target,
  run: async ({ keyId, ...scope }) => {
    await rotateKeyNow(kmsIn(scope), keyId);
    invalidateInventory(scope, [keyId]);
    return { rotated: true };
  },
});

export const createAliasAction = defineAction({
  name: 'CreateAlias',
  role: 'operator',
  input: target.extend({ aliasName }),
  run: async ({ keyId, aliasName, ...scope }) => {
    await createAlias(kmsIn(scope), aliasName, keyId);
    invalidateInventory(scope, [keyId]);
    return { aliasName };
  },
});

export const renameAliasAction = defineAction({
  name: 'RenameAlias',
  role: 'operator',
  input: target.extend({ from: aliasName, to: aliasName }),
  run: async ({ keyId, from, to, ...scope }) => {
    await renameAlias(kmsIn(scope), from, to, keyId);
    invalidateInventory(scope, [keyId]);
    return { aliasName: to };
  },
});

/** UpdateAlias: `keyId` is the key the alias moves to. */
export const retargetAliasAction = defineAction({
  name: 'UpdateAlias',
  role: 'operator',
  input: target.extend({ aliasName }),
  run: async ({ keyId, aliasName, ...scope }) => {
    await retargetAlias(kmsIn(scope), aliasName, keyId);
    invalidateInventory(scope);
    return { aliasName, keyId };
  },
});

export const deleteAliasAction = defineAction({
  name: 'DeleteAlias',
  role: 'operator',
  input: scoped.extend({ aliasName }),
  run: async ({ aliasName, ...scope }) => {
    await deleteAlias(kmsIn(scope), aliasName);
    invalidateInventory(scope);
    return { aliasName };
  },
});

export const putTagAction = defineAction({
  name: 'TagResource',
  role: 'operator',
  input: target.extend({ key: checked(tagKeyError), value: checked(tagValueError), previousKey: z.string().min(1).max(128).optional() }),
  run: async ({ keyId, key, value, previousKey, ...scope }) => {
    await putTag(kmsIn(scope), keyId, { key, value, previousKey });
    invalidateInventory(scope, [keyId]);
    return { key };
  },
});

export const removeTagAction = defineAction({
  name: 'UntagResource',
  role: 'operator',
  input: target.extend({ key: z.string().min(1).max(128) }),
  run: async ({ keyId, key, ...scope }) => {
    await untagKey(kmsIn(scope), keyId, [key]);
    invalidateInventory(scope, [keyId]);
    return { key };
  },
});

export const replicateKeyAction = defineAction({
  name: 'ReplicateKey',
  role: 'admin',
  input: target.extend({ replicaRegion: scopeFields.region }),
  run: async ({ keyId, replicaRegion, ...scope }) => {
    const replica = await replicateKey(kmsIn(scope), keyId, replicaRegion);
    invalidateInventory(scope, [keyId]);
    invalidateInventory({ ...scope, region: replicaRegion }, [keyId]);
    return replica;
  },
});

/** The first step of a manual rotation: a new key like `keyId`. */
export const createReplacementKeyAction = defineAction({
  name: 'CreateKey',
  role: 'admin',
  input: target,
  run: async ({ keyId, ...scope }) => {
    const created = await createKeyLike(kmsIn(scope), keyId);
    invalidateInventory(scope, [created.keyId]);
    return created;
  },
});
