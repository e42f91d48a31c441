/**
 * A key's lifecycle through the KMS API: enable, disable, schedule and cancel deletion, and its
 * description. Plain async functions over a KMSClient, for the detail page and the create-key flow alike.
 */
import 'server-only';
import {
  CancelKeyDeletionCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { describeKey } from './key-detail';

export async function enableKey(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new EnableKeyCommand({ KeyId: keyId }));
}

export async function disableKey(kms: KMSClient, keyId: string): Promise<void> {
  await kms.send(new DisableKeyCommand({ KeyId: keyId }));
}

export interface ScheduledDeletion {
  keyState: string;
  /** When KMS deletes the key (epoch ms). */
  deletionDate: number;
  pendingWindowInDays: number;
}

export async function scheduleKeyDeletion(kms: KMSClient, keyId: string, pendingWindowInDays: number): Promise<ScheduledDeletion> {
  const out = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowInDays }));
  return {
    keyState: out.KeyState ?? 'PendingDeletion',
    deletionDate: out.DeletionDate?.getTime() ?? 0,
    pendingWindowInDays: out.PendingWindowInDays ?? pendingWindowInDays,
  };
}

/** Cancels a scheduled deletion. KMS leaves the key Disabled (or PendingImport), not Enabled: the caller says so. */
export async function cancelKeyDeletion(kms: KMSClient, keyId: string): Promise<{ keyState: string }> {
  await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
  return { keyState: (await describeKey(kms, keyId)).KeyState ?? 'Disabled' };
}

export async function updateKeyDescription(kms: KMSClient, keyId: string, description: string): Promise<void> {
  await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: description }));
}
