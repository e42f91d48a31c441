/** Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. */
import type { CreateAliasRequest, DeleteAliasRequest, ListAliasesRequest, ListAliasesResponse, UpdateAliasRequest } from '@aws-sdk/client-kms';
import { AlreadyExistsException, InvalidAliasNameException, NotFoundException, ValidationException } from '../errors';
import { SPECS } from '../key-specs';
import type { KeyRecord } from '../store';
import { F } from '../validate';
import { aliasArn, operation, requireNotPendingDeletion, resolveKey, type OperationContext } from './context';
import { pageBySeq } from './paging';

const ALIAS = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

function checkAliasName(name: string): void {
  if (!ALIAS.test(name)) {
    throw new InvalidAliasNameException(`Alias name ${name} must begin with 'alias/' followed by 1 to 250 letters, digits, slashes, underscores or hyphens.`);
  }
  if (name.startsWith('alias/aws/')) throw new InvalidAliasNameException(`Alias names that begin with 'alias/aws/' are reserved for AWS managed keys: ${name}`);
}

/** An alias targets a customer managed key of the caller's own account, named by key id or key ARN. */
function target(ctx: OperationContext, ref: string): KeyRecord {
  const key = resolveKey(ctx, ref, { aliases: false });
  if (key.account !== ctx.account) throw new NotFoundException(`Key '${key.arn}' does not exist`);
  if (key.keyManager === 'AWS') throw new NotFoundException(`${key.arn} is an AWS managed key; aliases of AWS managed keys are reserved.`);
  requireNotPendingDeletion(key);
  return key;
}

export const CreateAlias = operation<CreateAliasRequest, Record<string, never>>({ AliasName: F.aliasName, TargetKeyId: F.keyId }, (ctx, input) => {
  const name = input.AliasName!;
  checkAliasName(name);
  const key = target(ctx, input.TargetKeyId!);
  if (ctx.store.alias(ctx.region, ctx.account, name)) {
    throw new AlreadyExistsException(`An alias with the name ${aliasArn(ctx.region, ctx.account, name)} already exists`);
  }
  ctx.store.putAlias({ seq: ctx.store.nextSeq(), account: ctx.account, region: ctx.region, name, targetKeyId: key.keyId, createdAt: ctx.now, updatedAt: ctx.now });
  return {};
});

export const UpdateAlias = operation<UpdateAliasRequest, Record<string, never>>({ AliasName: F.aliasName, TargetKeyId: F.keyId }, (ctx, input) => {
  const name = input.AliasName!;
  const alias = ctx.store.alias(ctx.region, ctx.account, name);
  if (!alias) throw new NotFoundException(`Alias ${aliasArn(ctx.region, ctx.account, name)} is not found.`);
  const key = target(ctx, input.TargetKeyId!);
  const current = ctx.store.key(ctx.region, alias.targetKeyId);
  // UpdateAlias needs kms:UpdateAlias on the key the alias leaves as well as on its new target.
  if (current) ctx.authorize(current);
  if (current && (SPECS[current.keySpec].family !== SPECS[key.keySpec].family || current.keyUsage !== key.keyUsage)) {
    throw new ValidationException(
      `${name} points to a ${current.keySpec} key with usage ${current.keyUsage}; the new target must be the same type of key with the same key usage.`,
    );
  }
  ctx.store.putAlias({ ...alias, targetKeyId: key.keyId, updatedAt: ctx.now });
  return {};
});

export const DeleteAlias = operation<DeleteAliasRequest, Record<string, never>>({ AliasName: F.aliasName }, (ctx, input) => {
  const name = input.AliasName!;
  if (name.startsWith('alias/aws/')) throw new InvalidAliasNameException(`Alias names that begin with 'alias/aws/' are reserved: ${name}`);
  const alias = ctx.store.alias(ctx.region, ctx.account, name);
  if (!alias) throw new NotFoundException(`Alias ${aliasArn(ctx.region, ctx.account, name)} is not found.`);
  const target = ctx.store.key(ctx.region, alias.targetKeyId);
  if (target) ctx.authorize(target);
  else ctx.authorizeAccount();
  ctx.store.deleteAlias(alias);
  return {};
});

export const ListAliases = operation<ListAliasesRequest, ListAliasesResponse>({ KeyId: F.optionalKeyId, Limit: F.limit, Marker: F.marker }, (ctx, input) => {
  // kms:ListAliases is an IAM-only permission (the key policy is not consulted).
  ctx.authorizeAccount();
  let aliases = [...ctx.store.aliasesOf(ctx.region, ctx.account).values()];
  if (input.KeyId !== undefined) {
    const key = resolveKey(ctx, input.KeyId, { aliases: false, authorize: false });
    aliases = aliases.filter((a) => a.targetKeyId === key.keyId);
  }
  const { items, truncated, nextMarker } = pageBySeq(aliases, input.Limit, input.Marker);
  return {
    Aliases: items.map((a) => ({
      AliasName: a.name,
      AliasArn: aliasArn(ctx.region, ctx.account, a.name),
      TargetKeyId: a.targetKeyId,
      CreationDate: new Date(a.createdAt),
      LastUpdatedDate: new Date(a.updatedAt),
    })),
    Truncated: truncated,
    NextMarker: nextMarker,
  };
});
