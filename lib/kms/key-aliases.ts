/** A key's aliases: add, rename (create the new name, then delete the old), retarget to another key, delete. */
import 'server-only';
import { CreateAliasCommand, DeleteAliasCommand, UpdateAliasCommand, type KMSClient } from '@aws-sdk/client-kms';

export async function createAlias(kms: KMSClient, aliasName: string, targetKeyId: string): Promise<void> {
  await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId }));
}

/**
 * KMS has no rename: the new alias is created on the same key first, so at no moment does the key lose
 * both names; if deleting the old one then fails, both remain and the error says which step failed.
 */
export async function renameAlias(kms: KMSClient, from: string, to: string, targetKeyId: string): Promise<void> {
  await kms.send(new CreateAliasCommand({ AliasName: to, TargetKeyId: targetKeyId }));
  try {
    await kms.send(new DeleteAliasCommand({ AliasName: from }));
  } catch (error) {
    if (error instanceof Error) error.message = `${to} was created, but deleting ${from} failed: ${error.message}`;
    throw error;
  }
}

/** Points an existing alias at another key of the same type and usage (UpdateAlias). */
export async function retargetAlias(kms: KMSClient, aliasName: string, targetKeyId: string): Promise<void> {
  await kms.send(new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId }));
}

export async function deleteAlias(kms: KMSClient, aliasName: string): Promise<void> {
  await kms.send(new DeleteAliasCommand({ AliasName: aliasName }));
}
