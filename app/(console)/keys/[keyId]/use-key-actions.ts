'use client';
/** The detail page's mutations: each server action with region and key id bound, invalidating the key's queries and the region's list. */
import type { KeyDetailActions } from '@/components/keys/detail/types';
import type { Scope } from '@/lib/kms/inventory-types';
import { keyQueries } from '@/lib/queries/keys';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import {
  cancelKeyDeletionAction,
  createAliasAction,
  createReplacementKeyAction,
  deleteAliasAction,
  putTagAction,
  removeTagAction,
  renameAliasAction,
  replicateKeyAction,
  retargetAliasAction,
  rotateKeyNowAction,
  scheduleKeyDeletionAction,
  setKeyEnabledAction,
  setRotationAction,
  updateDescriptionAction,
} from './actions';

export function useKeyActions(scope: Scope, keyId: string): KeyDetailActions {
  const { region } = scope;
  // The detail (and its nested policy, rotations and activity) and the list all sit under keyQueries.all.
  const invalidates = () => [keyQueries.all(scope)];
  const options = { invalidates };
  return {
    setEnabled: useActionMutation((i: { enabled: boolean }) => setKeyEnabledAction({ region, keyId, ...i }), options),
    scheduleDeletion: useActionMutation((i: { pendingWindowInDays: number }) => scheduleKeyDeletionAction({ region, keyId, ...i }), options),
    cancelDeletion: useActionMutation(() => cancelKeyDeletionAction({ region, keyId }), options),
    updateDescription: useActionMutation((i: { description: string }) => updateDescriptionAction({ region, keyId, ...i }), options),
    setRotation: useActionMutation((i: { enabled: boolean; periodDays?: number }) => setRotationAction({ region, keyId, ...i }), options),
    rotateNow: useActionMutation(() => rotateKeyNowAction({ region, keyId }), options),
    createAlias: useActionMutation((i: { aliasName: string }) => createAliasAction({ region, keyId, ...i }), options),
    renameAlias: useActionMutation((i: { from: string; to: string }) => renameAliasAction({ region, keyId, ...i }), options),
    retargetAlias: useActionMutation((i: { aliasName: string; keyId: string }) => retargetAliasAction({ region, ...i }), options),
    deleteAlias: useActionMutation((i: { aliasName: string }) => deleteAliasAction({ region, ...i }), options),
    putTag: useActionMutation((i: { key: string; value: string; previousKey?: string }) => putTagAction({ region, keyId, ...i }), options),
    removeTag: useActionMutation((i: { key: string }) => removeTagAction({ region, keyId, ...i }), options),
    replicate: useActionMutation((i: { replicaRegion: string }) => replicateKeyAction({ region, keyId, ...i }), {
      invalidates: (i) => [keyQueries.all(scope), keyQueries.all({ ...scope, region: i.replicaRegion })],
    }),
    createReplacement: useActionMutation(() => createReplacementKeyAction({ region, keyId }), options),
  };
}
