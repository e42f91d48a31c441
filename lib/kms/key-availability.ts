/**
 * Which actions a key's state allows, and why not when it does not: the detail page disables a button
 * with this explanation instead of letting KMS refuse the call. Rules from the developer guide's
 * "Key states of AWS KMS keys" table. Pure: used in the browser.
 */
import type { KeyDetail } from './key-detail-types';

export interface Availability {
  allowed: boolean;
  /** Why not, in a sentence, when not allowed. */
  reason?: string;
}

const yes: Availability = { allowed: true };
const no = (reason: string): Availability => ({ allowed: false, reason });

type Key = Pick<KeyDetail, 'row' | 'multiRegion'>;

const AWS_MANAGED = 'AWS managed keys are read-only: AWS creates, rotates and deletes them for the service that uses them.';

const pendingDeletion = (key: Key) => key.row.state === 'PendingDeletion' || key.row.state === 'PendingReplicaDeletion';

export function lifecycleAvailability(key: Key): Record<'enable' | 'disable' | 'scheduleDeletion' | 'cancelDeletion', Availability> {
  if (key.row.manager === 'AWS') return { enable: no(AWS_MANAGED), disable: no(AWS_MANAGED), scheduleDeletion: no(AWS_MANAGED), cancelDeletion: no(AWS_MANAGED) };
  const { state } = key.row;
  const cancelDeletion = pendingDeletion(key) ? yes : no('The key is not scheduled for deletion.');
  const deleting = 'The key is pending deletion: cancel the deletion first.';
  return {
    enable:
      state === 'Disabled'
        ? yes
        : state === 'Enabled'
          ? no('The key is already enabled.')
          : state === 'PendingImport'
            ? no('The key has no key material yet: import it to enable the key.')
            : no(pendingDeletion(key) ? deleting : `A key in state ${state} cannot be enabled.`),
    disable: state === 'Enabled' ? yes : state === 'Disabled' ? no('The key is already disabled.') : no(pendingDeletion(key) ? deleting : `A key in state ${state} cannot be disabled.`),
    scheduleDeletion: pendingDeletion(key)
      ? no('The key is already scheduled for deletion.')
      : key.multiRegion?.type === 'PRIMARY' && key.multiRegion.replicas.length > 0
        ? // Allowed by KMS, which waits for the replicas (PendingReplicaDeletion); said in the dialog.
          yes
        : ['Enabled', 'Disabled', 'PendingImport', 'Unavailable'].includes(state)
          ? yes
          : no(`A key in state ${state} cannot be scheduled for deletion.`),
    cancelDeletion,
  };
}

/** Aliases, tags and the description: KMS refuses changes to AWS managed keys and to keys pending deletion. */
export function editAvailability(key: Key): Availability {
  if (key.row.manager === 'AWS') return no(AWS_MANAGED);
  if (pendingDeletion(key)) return no('The key is pending deletion: cancel the deletion to change it.');
  return yes;
}

export type RotationKind = 'automatic' | 'manual' | 'none';

/** How this key's material can be rotated: by KMS (automatic and on demand), by hand (a new key), or not at all. */
export function rotationKind(key: Key & { row: Pick<KeyDetail['row'], 'type' | 'origin' | 'manager'> }): { kind: RotationKind; reason?: string } {
  if (key.row.manager === 'AWS') return { kind: 'none', reason: 'AWS rotates AWS managed keys every year; you cannot change that.' };
  if (key.row.origin === 'EXTERNAL') {
    return { kind: 'manual', reason: 'KMS cannot rotate imported (EXTERNAL) key material automatically: rotate it by creating a new key and moving the alias.' };
  }
  if (key.row.type !== 'Symmetric') {
    return { kind: 'manual', reason: `KMS does not rotate ${key.row.type === 'HMAC' ? 'HMAC' : 'asymmetric'} keys: rotate one by creating a new key and moving the alias.` };
  }
  if (key.row.origin !== 'AWS_KMS') return { kind: 'none', reason: `Keys with origin ${key.row.origin} are rotated in their key store.` };
  return { kind: 'automatic' };
}

/** Changing rotation needs an Enabled key, and a multi-Region replica follows its primary. */
export function rotationChangeAvailability(key: Key): Availability {
  if (key.row.manager === 'AWS') return no(AWS_MANAGED);
  if (key.multiRegion?.type === 'REPLICA') return no(`This is a replica: rotation is set on the primary key in ${key.multiRegion.primary.region}, and its replicas follow.`);
  if (key.row.state !== 'Enabled') return no(`Rotation can be changed only while the key is Enabled; it is ${key.row.state}.`);
  return yes;
}

/** ReplicateKey starts from an Enabled (or PendingImport) multi-Region primary. */
export function replicateAvailability(key: Key): Availability {
  if (!key.multiRegion) return no('Only multi-Region keys (ids starting mrk-) can be replicated; this is a single-Region key.');
  if (key.multiRegion.type === 'REPLICA') return no(`Replicate from the primary key in ${key.multiRegion.primary.region}.`);
  if (key.row.state !== 'Enabled' && key.row.state !== 'PendingImport') return no(`A primary key in state ${key.row.state} cannot be replicated.`);
  return yes;
}
