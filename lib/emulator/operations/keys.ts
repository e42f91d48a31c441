/** Key lifecycle: CreateKey, DescribeKey, ListKeys, descriptions, enable/disable, deletion, last usage. */
import crypto from 'node:crypto';
import type {
  CancelKeyDeletionRequest,
  CancelKeyDeletionResponse,
  CreateKeyRequest,
  CreateKeyResponse,
  DescribeKeyRequest,
  DescribeKeyResponse,
  DisableKeyRequest,
  EnableKeyRequest,
  GetKeyLastUsageRequest,
  GetKeyLastUsageResponse,
  KeyUsageType,
  ListKeysRequest,
  ListKeysResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  UpdateKeyDescriptionRequest,
} from '@aws-sdk/client-kms';
import { KMSInvalidStateException, UnsupportedOperationException, ValidationException } from '../errors';
import { generateMaterial } from '../key-material';
import { KEY_SPECS, KEY_USAGES, SPECS } from '../key-specs';
import type { KeyRecord } from '../store';
import { F } from '../validate';
import { DAY, keyArn, keyMetadata, operation, requireNotPending, requireNotPendingDeletion, resolveKey } from './context';
import { awaitsImport, checkImportableSpec } from './import';
import { newMultiRegionKeyId, replicasOf } from './multi-region-set';
import { checkLockout, checkPolicyDocument, defaultKeyPolicy } from './policy';
import { pageBySeq } from './paging';
import { checkTags, mergeTags } from './tags';

export const newMaterialId = () => crypto.randomBytes(32).toString('hex');

export const CreateKey = operation<CreateKeyRequest, CreateKeyResponse>(
  {
    Policy: F.policy,
    Description: { kind: 'string', min: 0, max: 8192 },
    KeyUsage: { kind: 'enum', values: KEY_USAGES },
    CustomerMasterKeySpec: { kind: 'enum', values: KEY_SPECS },
    KeySpec: { kind: 'enum', values: KEY_SPECS },
    Origin: { kind: 'enum', values: ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] },
    CustomKeyStoreId: { kind: 'string', min: 1, max: 64 },
    BypassPolicyLockoutSafetyCheck: { kind: 'bool' },
    Tags: { kind: 'tags' },
    MultiRegion: { kind: 'bool' },
    XksKeyId: { kind: 'string', min: 1, max: 128 },
  },
  (ctx, input) => {
    ctx.authorizeAccount();
    if (input.KeySpec && input.CustomerMasterKeySpec) {
      throw new ValidationException('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
    }
    // The validator admitted only KEY_SPECS (the SDK's type also names specs this emulator does not offer).
    const spec = (input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as (typeof KEY_SPECS)[number];
    if (spec === 'SM2') throw new UnsupportedOperationException('KeySpec SM2 is supported only in the China Regions.');
    const info = SPECS[spec];
    const usage: KeyUsageType = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
    if (!info.usages.includes(usage)) {
      throw new ValidationException(`KeyUsage ${usage} is not compatible with KeySpec ${spec}. Valid KeyUsage values for ${spec}: ${info.usages.join(', ')}.`);
    }
    const origin = input.Origin ?? 'AWS_KMS';
    if ((origin !== 'AWS_KMS' && origin !== 'EXTERNAL') || input.CustomKeyStoreId || input.XksKeyId) {
      throw new UnsupportedOperationException(`Origin ${origin} and custom key stores are not available in this emulator yet; use Origin AWS_KMS or EXTERNAL.`);
    }
    // Origin EXTERNAL: no key material until it is imported (operations/import.ts), so the key starts PendingImport.
    const external = origin === 'EXTERNAL';
    if (external) checkImportableSpec(spec);
    // MultiRegion creates the primary key of a new set: any key spec, AWS-generated or imported material (CreateKey API reference).
    const keyId = input.MultiRegion ? newMultiRegionKeyId() : crypto.randomUUID();
    if (input.Policy !== undefined) checkLockout(ctx, checkPolicyDocument(input.Policy), keyArn(ctx.region, ctx.account, keyId), input.BypassPolicyLockoutSafetyCheck);
    checkTags(input.Tags ?? []);
    const key: KeyRecord = {
      seq: ctx.store.nextSeq(),
      keyId,
      account: ctx.account,
      region: ctx.region,
      arn: keyArn(ctx.region, ctx.account, keyId),
      createdAt: ctx.now,
      description: input.Description ?? '',
      keySpec: spec,
      keyUsage: usage,
      origin,
      keyManager: 'CUSTOMER',
      keyState: external ? 'PendingImport' : 'Enabled',
      multiRegion: input.MultiRegion === true,
      primaryRegion: input.MultiRegion ? ctx.region : undefined,
      policy: input.Policy ?? defaultKeyPolicy(ctx.account),
      tags: mergeTags([], input.Tags ?? []),
      rotation: { enabled: false },
      materials: external ? [] : [{ id: newMaterialId(), material: generateMaterial(spec), createdAt: ctx.now }],
    };
    ctx.subject = keyId;
    ctx.store.putKey(key);
    return { KeyMetadata: keyMetadata(key, ctx.store) };
  },
);

export const DescribeKey = operation<DescribeKeyRequest, DescribeKeyResponse>({ KeyId: F.keyId, GrantTokens: F.grantTokens }, (ctx, input) => ({
  KeyMetadata: keyMetadata(resolveKey(ctx, input.KeyId!), ctx.store),
}));

export const ListKeys = operation<ListKeysRequest, ListKeysResponse>({ Limit: F.limit, Marker: F.marker }, (ctx, input) => {
  ctx.authorizeAccount();
  const { items, truncated, nextMarker } = pageBySeq(ctx.store.keysOf(ctx.region, ctx.account).values(), input.Limit, input.Marker);
  return { Keys: items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: truncated, NextMarker: nextMarker };
});

export const UpdateKeyDescription = operation<UpdateKeyDescriptionRequest, Record<string, never>>(
  { KeyId: F.keyId, Description: { kind: 'string', required: true, min: 0, max: 8192 } },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    requireNotPendingDeletion(key);
    ctx.store.putKey({ ...key, description: input.Description! });
    return {};
  },
);

export const EnableKey = operation<EnableKeyRequest, Record<string, never>>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  requireNotPending(key);
  if (key.keyState !== 'Enabled') ctx.store.putKey({ ...key, keyState: 'Enabled' });
  return {};
});

export const DisableKey = operation<DisableKeyRequest, Record<string, never>>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  requireNotPending(key);
  if (key.keyState !== 'Disabled') ctx.store.putKey({ ...key, keyState: 'Disabled' });
  return {};
});

export const ScheduleKeyDeletion = operation<ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse>(
  { KeyId: F.keyId, PendingWindowInDays: { kind: 'int', min: 1, max: 365 } },
  (ctx, input) => {
    const key = resolveKey(ctx, input.KeyId!, { aliases: false });
    const days = input.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30) {
      throw new ValidationException(`1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
    }
    requireNotPendingDeletion(key);
    // A primary key with replicas waits for them to be deleted before its own waiting period begins (ScheduleKeyDeletion API reference).
    if (replicasOf(ctx.store, key).length > 0) {
      ctx.store.putKey({ ...key, keyState: 'PendingReplicaDeletion', pendingWindowInDays: days });
      return { KeyId: key.arn, KeyState: 'PendingReplicaDeletion', PendingWindowInDays: days };
    }
    const deletionDate = ctx.now + days * DAY;
    ctx.store.putKey({ ...key, keyState: 'PendingDeletion', deletionDate, pendingWindowInDays: days });
    return { KeyId: key.arn, DeletionDate: new Date(deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },
);

export const CancelKeyDeletion = operation<CancelKeyDeletionRequest, CancelKeyDeletionResponse>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!, { aliases: false });
  if (key.keyState !== 'PendingDeletion' && key.keyState !== 'PendingReplicaDeletion') {
    throw new KMSInvalidStateException(`${key.arn} is not pending deletion.`);
  }
  // A key whose imported material is missing cannot be Disabled (it could be enabled): it waits for import again.
  ctx.store.putKey({ ...key, keyState: awaitsImport(key) ? 'PendingImport' : 'Disabled', deletionDate: undefined, pendingWindowInDays: undefined });
  return { KeyId: key.arn };
});

export const GetKeyLastUsage = operation<GetKeyLastUsageRequest, GetKeyLastUsageResponse>({ KeyId: F.keyId }, (ctx, input) => {
  const key = resolveKey(ctx, input.KeyId!);
  const last = ctx.lastUsage(key);
  return {
    KeyId: key.keyId,
    KeyCreationDate: new Date(key.createdAt),
    TrackingStartDate: new Date(Math.max(key.createdAt, ctx.startedAt)),
    KeyLastUsage: last ? { Operation: last.operation, Timestamp: new Date(last.at), KmsRequestId: last.requestId } : undefined,
  };
});
