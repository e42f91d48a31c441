/**
 * Multi-Region key sets in the store: one `mrk-` key id held by a KeyRecord in each Region of the set,
 * each naming the set's primary Region. These helpers find a set's members, describe it, and keep the
 * shared properties (key material, automatic rotation) of the replicas in step with the primary.
 * They import nothing from context.ts, which uses them (keyMetadata), so no module cycle arises.
 */
import crypto from 'node:crypto';
import type { MultiRegionConfiguration, MultiRegionKey } from '@aws-sdk/client-kms';
import { UnsupportedOperationException } from '../errors';
import type { KeyRecord, Store } from '../store';

const DAY = 86_400_000;

/** `mrk-` and 32 hex digits: the key id of a multi-Region key (multi-region-keys-overview.html). */
export const newMultiRegionKeyId = () => `mrk-${crypto.randomBytes(16).toString('hex')}`;

const primaryRegionOf = (key: KeyRecord) => key.primaryRegion ?? key.region;
export const isPrimary = (key: KeyRecord) => key.multiRegion && primaryRegionOf(key) === key.region;
export const isReplica = (key: KeyRecord) => key.multiRegion && primaryRegionOf(key) !== key.region;

/** Every key of the set `key` belongs to, itself included: the primary first, then replicas in the order they were made. */
export function membersOf(store: Store, key: KeyRecord): KeyRecord[] {
  if (!key.multiRegion) return [key];
  const members: KeyRecord[] = [];
  for (const region of store.regionNames()) {
    const member = store.key(region, key.keyId);
    if (member && member.account === key.account) members.push(member);
  }
  return members.sort((a, b) => Number(isReplica(a)) - Number(isReplica(b)) || a.seq - b.seq);
}

/** The replicas of a primary key that still exist (in any state, PendingDeletion included). */
export const replicasOf = (store: Store, primary: KeyRecord): KeyRecord[] => (isPrimary(primary) ? membersOf(store, primary).filter(isReplica) : []);

/** What DescribeKey shows of the set on any member: its own role, the primary, and every replica. */
export function multiRegionConfiguration(store: Store, key: KeyRecord): MultiRegionConfiguration | undefined {
  if (!key.multiRegion) return undefined;
  const primaryRegion = primaryRegionOf(key);
  const ref = (region: string): MultiRegionKey => ({ Arn: key.arn.replace(`:kms:${key.region}:`, `:kms:${region}:`), Region: region });
  return {
    MultiRegionKeyType: primaryRegion === key.region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: ref(primaryRegion),
    ReplicaKeys: membersOf(store, key)
      .filter(isReplica)
      .map((m) => ref(m.region)),
  };
}

/**
 * Copies the primary's shared properties to every replica: key material and the automatic rotation
 * status, so "rotating the primary rotates the replicas" (multi-region-keys-manage.html). Imported
 * material is not copied: each replica imports the same material itself (ImportKeyMaterial API reference).
 */
export function syncReplicas(store: Store, primary: KeyRecord): void {
  if (!isPrimary(primary)) return;
  for (const replica of replicasOf(store, primary)) {
    const materials = primary.origin === 'EXTERNAL' ? replica.materials : primary.materials;
    store.putKey({ ...replica, materials, rotation: { ...primary.rotation } });
  }
}

/** Automatic rotation is managed on the primary key only (EnableKeyRotation API reference). */
export function requireNotReplica(key: KeyRecord, what: string): void {
  if (isReplica(key)) {
    throw new UnsupportedOperationException(
      `${key.arn} is a multi-Region replica key; ${what} of related multi-Region keys is managed on the primary key in ${primaryRegionOf(key)}.`,
    );
  }
}

/**
 * Called after `deleted` left the store at time `at`. A primary key waiting in PendingReplicaDeletion
 * whose last replica this was moves to PendingDeletion, and its waiting period starts now
 * (ScheduleKeyDeletion API reference). Returns that primary when it changed.
 */
export function afterKeyDeleted(store: Store, deleted: KeyRecord, at: number): KeyRecord | undefined {
  if (!isReplica(deleted)) return undefined;
  const primary = store.key(primaryRegionOf(deleted), deleted.keyId);
  if (!primary || primary.account !== deleted.account || primary.keyState !== 'PendingReplicaDeletion') return undefined;
  if (replicasOf(store, primary).length > 0) return undefined;
  const days = primary.pendingWindowInDays ?? 30;
  const next: KeyRecord = { ...primary, keyState: 'PendingDeletion', deletionDate: at + days * DAY };
  store.putKey(next);
  return next;
}
