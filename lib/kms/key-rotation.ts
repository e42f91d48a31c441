/** Key rotation through the KMS API: automatic rotation on/off with a period, rotate now, and the rotation history. */
import 'server-only';
import { DisableKeyRotationCommand, EnableKeyRotationCommand, ListKeyRotationsCommand, RotateKeyOnDemandCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { RotationEntry, RotationPage } from './key-detail-types';

export async function enableKeyRotation(kms: KMSClient, keyId: string, rotationPeriodInDays: number): Promise<void> {
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: rotationPeriodInDays }));
}

export async function disableKeyRotation(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
}

export async function rotateKeyNow(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
}

/** One page of ListKeyRotations, newest first within the page as KMS orders it. */
export async function listKeyRotations(kms: KMSClient, keyId: string, { marker, limit = 10 }: { marker?: string; limit?: number } = {}): Promise<RotationPage> {
  const out = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: limit, Marker: marker }));
  const rotations: RotationEntry[] = (out.Rotations ?? []).map((r) => ({
    materialId: r.KeyMaterialId ?? '',
    state: r.KeyMaterialState ?? '',
    type: r.RotationType,
    at: r.RotationDate?.getTime(),
  }));
  return { rotations, nextMarker: out.Truncated ? out.NextMarker : undefined };
}

/** How many on-demand rotations the key has had: its count against the per-key limit. */
export async function countOnDemandRotations(kms: KMSClient, keyId: string): Promise<number> {
  let count = 0;
  let marker: string | undefined;
  do {
    const page = await listKeyRotations(kms, keyId, { marker, limit: 1000 });
    count += page.rotations.filter((r) => r.type === 'ON_DEMAND').length;
    marker = page.nextMarker;
  } while (marker);
  return count;
}
