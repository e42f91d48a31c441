/**
 * Multi-Region keys: ReplicateKey and UpdatePrimaryRegion. A replica is a KeyRecord of its own in
 * another Region with the primary's key id, spec, usage, origin, rotation and key material, and its own
 * policy, description, tags, aliases, grants and key state (multi-region-keys-overview.html).
 */
import type { ReplicateKeyRequest, ReplicateKeyResponse, UpdatePrimaryRegionRequest } from '@aws-sdk/client-kms';
import { AlreadyExistsException, NotFoundException, UnsupportedOperationException, ValidationException } from '../errors';
import type { KeyRecord } from '../store';
import { F } from '../validate';
import { keyArn, keyMetadata, operation, requireEnabled, resolveKey, type OperationContext } from './context';
import { isPrimary, membersOf } from './multi-region-set';
import { checkLockout, checkPolicyDocument, defaultKeyPolicy } from './policy';
import { checkTags, mergeTags } from './tags';

/** RegionType of the API model. */
const regionName = { kind: 'string', required: true, min: 1, max: 32, pattern: /^([a-z]+-){2,3}\d+$/ } as const;

/** The AWS partition a Region belongs to: replicas stay in their primary's partition. */
const partitionOf = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : region.startsWith('us-iso') ? 'aws-iso' : 'aws';

/**
 * The key a multi-Region operation starts from: a primary key of the caller's own account ("Cross-account
 * use: No" in both API references), authorized for the operation in its key policy.
 */
function primaryKey(ctx: OperationContext, ref: string, operationName: string): KeyRecord {
  const key = resolveKey(ctx, ref, { aliases: false, authorize: false });
  if (key.account !== ctx.account) throw new NotFoundException(`Key '${key.arn}' does not exist`);
  ctx.authorize(key);
  if (!key.multiRegion) {
    throw new UnsupportedOperationException(`${key.arn} is not a multi-Region key. ${operationName} applies only to multi-Region primary keys.`);
  }
  if (!isPrimary(key)) {
    throw new UnsupportedOperationException(`${key.arn} is a multi-Region replica key. Call ${operationName} on its primary key in ${key.primaryRegion}.`);
  }
  return key;
}

export const ReplicateKey = operation<ReplicateKeyRequest, ReplicateKeyResponse>(
  {
    KeyId: F.keyId,
    ReplicaRegion: regionName,
    Policy: F.policy,
    BypassPolicyLockoutSafetyCheck: { kind: 'bool' },
    Description: { kind: 'string', min: 0, max: 8192 },
    Tags: { kind: 'tags' },
  },
  (ctx, input) => {
    // kms:ReplicateKey on the primary (its key policy), then kms:CreateKey — and kms:TagResource for
    // Tags — in an IAM policy for the replica Region (ReplicateKey API reference, "Required permissions").
    const primary = primaryKey(ctx, input.KeyId!, 'ReplicateKey');
    const region = input.ReplicaRegion!;
    if (region === primary.region) {
      throw new ValidationException(`ReplicaRegion ${region} is the Region of the primary key ${primary.arn}; a replica must be in a different Region.`);
    }
    if (partitionOf(region) !== partitionOf(primary.region)) {
      throw new ValidationException(`ReplicaRegion ${region} is not in the AWS partition of the primary key's Region ${primary.region}.`);
    }
    // A primary waiting for deletion "cannot be replicated" (ScheduleKeyDeletion API reference); one
    // awaiting its imported material can be, since each replica imports that material itself.
    if (primary.keyState !== 'PendingImport') requireEnabled(primary);
    ctx.authorizeAccount('kms:CreateKey', region);
    if (input.Tags && input.Tags.length > 0) ctx.authorizeAccount('kms:TagResource', region);
    const existing = ctx.store.key(region, primary.keyId);
    if (existing) {
      throw new AlreadyExistsException(`${existing.arn} already exists: a multi-Region key can have only one replica in each Region (its state is ${existing.keyState}).`);
    }
    const arn = keyArn(region, primary.account, primary.keyId);
    if (input.Policy !== undefined) checkLockout(ctx, checkPolicyDocument(input.Policy), arn, input.BypassPolicyLockoutSafetyCheck);
    checkTags(input.Tags ?? []);
    // With imported material the replica starts empty and needs the same material imported (ReplicateKey API reference).
    const imported = primary.origin === 'EXTERNAL';
    const replica: KeyRecord = {
      seq: ctx.store.nextSeq(),
      keyId: primary.keyId,
      account: primary.account,
      region,
      arn,
      createdAt: ctx.now,
      description: input.Description ?? '',
      keySpec: primary.keySpec,
      keyUsage: primary.keyUsage,
      origin: primary.origin,
      keyManager: primary.keyManager,
      keyState: imported ? 'PendingImport' : 'Enabled',
      multiRegion: true,
      policy: input.Policy ?? defaultKeyPolicy(primary.account),
      tags: mergeTags([], input.Tags ?? []),
      rotation: { ...primary.rotation },
      materials: imported ? [] : primary.materials,
      primaryRegion: primary.region,
    };
    ctx.store.putKey(replica);
    const metadata = keyMetadata(replica, ctx.store);
    return {
      // AWS answers while the replica is still being made (transient state Creating) and it becomes
      // Enabled (or PendingImport) a few seconds later; the emulator's replica is ready at once, so only the answer says Creating.
      ReplicaKeyMetadata: { ...metadata, KeyState: 'Creating', Enabled: false },
      ReplicaPolicy: replica.policy,
      ReplicaTags: replica.tags,
    };
  },
);

export const UpdatePrimaryRegion = operation<UpdatePrimaryRegionRequest, Record<string, never>>(
  { KeyId: F.keyId, PrimaryRegion: regionName },
  (ctx, input) => {
    // kms:UpdatePrimaryRegion on the current primary and on the replica that becomes primary (API reference).
    const primary = primaryKey(ctx, input.KeyId!, 'UpdatePrimaryRegion');
    const region = input.PrimaryRegion!;
    if (region === primary.region) {
      throw new ValidationException(`${primary.arn} is already the primary key; PrimaryRegion must be the Region of one of its replica keys.`);
    }
    const replica = ctx.store.key(region, primary.keyId);
    if (!replica || replica.account !== primary.account) throw new NotFoundException(`Key '${keyArn(region, primary.account, primary.keyId)}' does not exist`);
    ctx.authorize(replica);
    // "Both the primary key and the replica key must be in the Enabled key state" (multi-region-keys-manage.html).
    requireEnabled(primary);
    requireEnabled(replica);
    // AWS passes through a transient Updating state for a few seconds; the emulator switches at once.
    for (const member of membersOf(ctx.store, primary)) ctx.store.putKey({ ...member, primaryRegion: region });
    return {};
  },
);
