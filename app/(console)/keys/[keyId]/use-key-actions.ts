'use client';
/** The detail page's mutations: each server action with the scope (account and region) and key id bound, invalidating the scope's key queries and list. */
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
  const { region, account } = scope;
  // The detail (and its nested policy, rotations and activity) and the list all sit under keyQueries.all.
  const invalidates = () => [keyQueries.all(scope)];
  const options = { invalidates };
  return {
    setEnabled: useActionMutation((i: { enabled: boolean }) => setKeyEnabledAction({ region, account, keyId, ...i }), options),
    scheduleDeletion: useActionMutation((i: { pendingWindowInDays: number }) => scheduleKeyDeletionAction({ region, account, keyId, ...i }), options),
    cancelDeletion: useActionMutation(() => cancelKeyDeletionAction({ region, account, keyId }), options),
    updateDescription: useActionMutation((i: { description: string }) => updateDescriptionAction({ region, account, keyId, ...i }), options),
    setRotation: useActionMutation((i: { enabled: boolean; periodDays?: number }) => setRotationAction({ region, account, keyId, ...i }), options),
    rotateNow: useActionMutation(() => rotateKeyNowAction({ region, account, keyId }), options),
    createAlias: useActionMutation((i: { aliasName: string }) => createAliasAction({ region, account, keyId, ...i }), options),
    renameAlias: useActionMutation((i: { from: string; to: string }) => renameAliasAction({ region, account, keyId, ...i }), options),
    retargetAlias: useActionMutation((i: { aliasName: string; keyId: string }) => retargetAliasAction({ region, account, ...i }), options),
    deleteAlias: useActionMutation((i: { aliasName: string }) => deleteAliasAction({ region, account, ...i }), options),
    putTag: useActionMutation((i: { key: string; value: string; previousKey?: string }) => putTagAction({ region, account, keyId, ...i }), options),
    removeTag: useActionMutation((i: { key: string }) => removeTagAction({ region, account, keyId, ...i }), options),
    replicate: useActionMutation((i: { replicaRegion: string }) => replicateKeyAction({ region, account, keyId, ...i }), {
      invalidates: (i) => [keyQueries.all(scope), keyQueries.all({ ...scope, region: i.replicaRegion })],
    }),
    createReplacement: useActionMutation(() => createReplacementKeyAction({ region, account, keyId }), options),
  };
}
