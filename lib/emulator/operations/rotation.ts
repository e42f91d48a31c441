/** Key rotation: automatic (on the injected clock), on demand, status and history. */
import type {
  DisableKeyRotationRequest,
  EnableKeyRotationRequest,
  GetKeyRotationStatusRequest,
  GetKeyRotationStatusResponse,
  ListKeyRotationsRequest,
  ListKeyRotationsResponse,
  RotateKeyOnDemandRequest,
  RotateKeyOnDemandResponse,
} from '@aws-sdk/client-kms';
import { LimitExceededException, UnsupportedOperationException } from '../errors';
import { generateMaterial } from '../key-material';
import type { KeyRecord } from '../store';
import { F } from '../validate';
import { currentMaterial, DAY, operation, requireEnabled, requireSymmetric, resolveKey, type OperationContext } from './context';
import { importedRotations, rotateImported } from './import';
import { newMaterialId } from './keys';
import { requireNotReplica, syncReplicas } from './multi-region-set';
import { pageByOffset } from './paging';

export const DEFAULT_ROTATION_DAYS = 365;
/** "You can perform on-demand key rotation a maximum of 25 times per KMS key" (RotateKeyOnDemand API reference). */
export const MAX_ON_DEMAND_ROTATIONS = 25;

/** A copy of `key` with one more key material version. */
export function rotated(key: KeyRecord, at: number, rotationType: 'AUTOMATIC' | 'ON_DEMAND'): KeyRecord {
  return { ...key, materials: [...key.materials, { id: newMaterialId(), material: generateMaterial(key.keySpec), createdAt: at, rotationType }] };
}

/**
 * Applies every automatic rotation due by `now` (several when the clock jumps years ahead).
 * Disabled keys are not rotated; they rotate when re-enabled if their date has passed.
 */
export function applyDueRotations(key: KeyRecord, now: number): KeyRecord {
  let next = key;
  while (next.keyState === 'Enabled' && next.rotation.enabled && next.rotation.nextRotationDate !== undefined && next.rotation.nextRotationDate <= now) {
    const at = next.rotation.nextRotationDate;
    next = rotated(next, at, 'AUTOMATIC');
    next.rotation = { ...next.rotation, nextRotationDate: at + next.rotation.periodInDays! * DAY };
  }
  return next;
}

const gate = (key: KeyRecord, what: string) => {
  requireSymmetric(key, what);
  requireNotReplica(key, what);
  requireEnabled(key);
};

/** "You cannot enable automatic rotation of … KMS keys with imported key material" (EnableKeyRotation API reference; key-state.html note 6). */
const requireGenerated = (key: KeyRecord) => {
  if (key.origin === 'EXTERNAL') throw new UnsupportedOperationException(`${key.arn} origin is EXTERNAL which is not valid for this operation.`);
};

/** Stores a rotation change; a multi-Region primary shares it with its replicas. */
const commit = (ctx: OperationContext, key: KeyRecord) => {
  ctx.store.putKey(key);
  syncReplicas(ctx.store, key);
};

export const EnableKeyRotation = operation<EnableKeyRotationRequest, Record<string, never>>(
  { KeyId: F.keyId, RotationPeriodInDays: { kind: 'int', min: 90, max: 2560 } },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    requireGenerated(key);
    gate(key, 'automatic key rotation');
    const periodInDays = input.RotationPeriodInDays ?? key.rotation.periodInDays ?? DEFAULT_ROTATION_DAYS;
    // The first rotation comes one period after enabling; a new period counts from the last automatic rotation.
    const lastAutomatic = [...key.materials].reverse().find((m) => m.rotationType === 'AUTOMATIC');
    const base = key.rotation.enabled && lastAutomatic ? lastAutomatic.createdAt : ctx.now;
    const nextRotationDate = Math.max(base + periodInDays * DAY, ctx.now + DAY);
    commit(ctx, { ...key, rotation: { enabled: true, periodInDays, nextRotationDate } });
    return {};
  },
);

export const DisableKeyRotation = operation<DisableKeyRotationRequest, Record<string, never>>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  requireGenerated(key);
  gate(key, 'automatic key rotation');
  commit(ctx, { ...key, rotation: { enabled: false, periodInDays: key.rotation.periodInDays } });
  return {};
});

export const GetKeyRotationStatus = operation<GetKeyRotationStatusRequest, GetKeyRotationStatusResponse>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  requireSymmetric(key, 'key rotation');
  const { enabled, periodInDays, nextRotationDate } = key.rotation;
  return {
    KeyId: key.arn,
    KeyRotationEnabled: enabled,
    RotationPeriodInDays: enabled ? periodInDays : undefined,
    NextRotationDate: enabled && nextRotationDate !== undefined ? new Date(nextRotationDate) : undefined,
  };
});

export const RotateKeyOnDemand = operation<RotateKeyOnDemandRequest, RotateKeyOnDemandResponse>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  gate(key, 'on-demand key rotation');
  const done = key.materials.filter((m) => m.rotationType === 'ON_DEMAND').length;
  if (done >= MAX_ON_DEMAND_ROTATIONS) {
    throw new LimitExceededException(`${key.arn} has already been rotated on demand ${MAX_ON_DEMAND_ROTATIONS} times, the maximum for a KMS key.`);
  }
  // Imported keys rotate to material imported beforehand as NEW_KEY_MATERIAL (operations/import.ts).
  commit(ctx, key.origin === 'EXTERNAL' ? rotateImported(key, ctx.now) : rotated(key, ctx.now, 'ON_DEMAND'));
  return { KeyId: key.keyId };
});

export const ListKeyRotations = operation<ListKeyRotationsRequest, ListKeyRotationsResponse>(
  { KeyId: F.keyId, IncludeKeyMaterial: { kind: 'enum', values: ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] }, Limit: F.limit, Marker: F.marker },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    requireSymmetric(key, 'key rotation');
    if (key.origin === 'EXTERNAL') {
      const { items, truncated, nextMarker } = pageByOffset(importedRotations(key, input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL'), input.Limit, input.Marker);
      return { Rotations: items, Truncated: truncated, NextMarker: nextMarker };
    }
    const current = currentMaterial(key).id;
    const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
    const entries = key.materials
      .filter((m) => all || m.rotationType !== undefined)
      .map((m) => ({
        KeyId: key.keyId,
        KeyMaterialId: m.id,
        KeyMaterialState: m.id === current ? ('CURRENT' as const) : ('NON_CURRENT' as const),
        RotationDate: m.rotationType ? new Date(m.createdAt) : undefined,
        RotationType: m.rotationType,
      }));
    const { items, truncated, nextMarker } = pageByOffset(entries, input.Limit, input.Marker);
    return { Rotations: items, Truncated: truncated, NextMarker: nextMarker };
  },
);
