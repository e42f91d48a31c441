/** What every operation receives, and the helpers they share: key references, key states, metadata. */
import type { CustomerMasterKeySpec, KeyLastUsageTrackingOperation, KeyMetadata, KeyUsageType } from '@aws-sdk/client-kms';
import {
  DisabledException,
  DryRunOperationException,
  InvalidArnException,
  InvalidKeyUsageException,
  KMSInvalidStateException,
  NotFoundException,
  UnsupportedOperationException,
} from '../errors';
import { algorithmsFor, SPECS } from '../key-specs';
import type { Identity } from '../identities';
import type { LoadedKey } from '../key-material';
import type { KeyMaterial, KeyRecord, Store } from '../store';
import type { Spec } from '../validate';
import type { ContextValue } from '../../policy';
import { checkGrantTokens } from '../grant-tokens';
import { multiRegionConfiguration } from './multi-region-set';

export interface LastUsage {
  operation: KeyLastUsageTrackingOperation;
  at: number;
  requestId: string;
}

export interface OperationContext {
  /** The authenticated caller and its account. */
  caller: Identity;
  account: string;
  region: string;
  /** Milliseconds since the epoch, from the injected clock. */
  now: number;
  store: Store;
  /** Loaded (parsed) key material, cached across requests. */
  load(key: KeyRecord, material?: KeyMaterial): LoadedKey;
  /** Records a successful cryptographic use of a key (GetKeyLastUsage). */
  used(key: KeyRecord, operation: KeyLastUsageTrackingOperation): void;
  lastUsage(key: KeyRecord): LastUsage | undefined;
  /** When this emulator process began tracking key usage. */
  startedAt: number;
  requestId: string;
  /** The key the request concerns, for the request log. */
  subject?: string;
  /** The alias a key was named by in this request (kms:RequestAlias). */
  requestAlias?: string;
  /**
   * Throws AccessDeniedException unless the caller may do `action` (default: this operation's) with
   * `key`, under `encryptionContext` (default: the request's). resolveKey calls it for every key it finds.
   */
  authorize(key: KeyRecord, action?: string, encryptionContext?: Record<string, string>): void;
  /** The same for operations on no key (CreateKey, ListKeys …): the caller's IAM policies decide; `region` defaults to the request's. */
  authorizeAccount(action?: string, region?: string): void;
  /** Condition keys taken from the request; an operation may add its own (CreateGrant's kms:Grant*) before it authorizes. */
  readonly conditionKeys: Record<string, ContextValue>;
}

export interface ResolveOptions {
  /** Accept alias names and alias ARNs (most operations do). */
  aliases?: boolean;
  /** Authorize the caller for this key (default true) … */
  authorize?: boolean;
  /** … for this action (default: `kms:<Operation>`) … */
  action?: string;
  /** … under this encryption context (default: the request's). */
  encryptionContext?: Record<string, string>;
}

export interface Operation<I, O> {
  spec: Spec<I>;
  run(ctx: OperationContext, input: I): O;
}

/** An operation whose input takes GrantTokens has them checked first (grant-tokens.ts), so no handler can forget. */
export const operation = <I, O>(spec: Spec<I>, run: (ctx: OperationContext, input: I) => O): Operation<I, O> =>
  'GrantTokens' in spec
    ? {
        spec,
        run: (ctx, input) => {
          checkGrantTokens(ctx.store, (input as { GrantTokens?: string[] }).GrantTokens);
          return run(ctx, input);
        },
      }
    : { spec, run };

export const DAY = 86_400_000;

export const keyArn = (region: string, account: string, keyId: string) => `arn:aws:kms:${region}:${account}:key/${keyId}`;
export const aliasArn = (region: string, account: string, name: string) => `arn:aws:kms:${region}:${account}:${name}`;

const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;

/**
 * Finds the key a reference names: key id, key ARN, alias name or alias ARN (when `aliases` allows).
 * A reference to another account's key must be an ARN, as in AWS.
 */
export function resolveKey(ctx: OperationContext, ref: string, options: ResolveOptions = {}): KeyRecord {
  const key = findKey(ctx, ref, options.aliases ?? true);
  if (options.authorize ?? true) ctx.authorize(key, options.action, options.encryptionContext);
  return key;
}

function findKey(ctx: OperationContext, ref: string, aliases: boolean): KeyRecord {
  let account = ctx.account;
  let region = ctx.region;
  let rest = ref;
  if (ref.startsWith('arn:')) {
    const m = ARN.exec(ref);
    if (!m) throw new InvalidArnException(`Invalid arn ${ref}`);
    [, region, account, rest] = m;
    if (region !== ctx.region) throw new NotFoundException(`Invalid arn ${ref}: the key's region is not ${ctx.region}`);
  }
  if (rest.startsWith('alias/')) {
    if (!aliases) throw new NotFoundException(`Invalid keyId '${ref}': an alias is not accepted here`);
    const alias = ctx.store.alias(region, account, rest);
    if (!alias) throw new NotFoundException(`Alias ${aliasArn(region, account, rest)} is not found.`);
    ctx.subject = alias.targetKeyId;
    ctx.requestAlias = rest;
    return mustExist(ctx, region, account, alias.targetKeyId);
  }
  const keyId = rest.startsWith('key/') ? rest.slice(4) : rest;
  if (!KEY_ID.test(keyId)) throw new NotFoundException(`Invalid keyId '${ref}'`);
  ctx.subject = keyId;
  return mustExist(ctx, region, account, keyId);
}

function mustExist(ctx: OperationContext, region: string, account: string, keyId: string): KeyRecord {
  const key = ctx.store.key(region, keyId);
  if (!key || key.account !== account) throw new NotFoundException(`Key '${keyArn(region, account, keyId)}' does not exist`);
  return key;
}

/** Cryptographic operations need an enabled key. */
export function requireEnabled(key: KeyRecord): void {
  if (key.keyState === 'Enabled') return;
  if (key.keyState === 'Disabled') throw new DisabledException(`${key.arn} is disabled.`);
  throw new KMSInvalidStateException(`${key.arn} is ${stateWords(key)}.`);
}

/** Management changes are refused while a key waits for deletion (or import). */
export function requireNotPending(key: KeyRecord): void {
  if (key.keyState === 'Enabled' || key.keyState === 'Disabled') return;
  throw new KMSInvalidStateException(`${key.arn} is ${stateWords(key)}.`);
}

/**
 * Metadata changes (description, tags, aliases, scheduling deletion) are refused only while a key waits
 * for deletion: a key waiting for imported material takes them (key-state.html).
 */
export function requireNotPendingDeletion(key: KeyRecord): void {
  if (key.keyState === 'PendingImport') return;
  requireNotPending(key);
}

const stateWords = (key: KeyRecord) =>
  key.keyState === 'PendingDeletion' ? 'pending deletion' : key.keyState === 'PendingImport' ? 'pending import' : `in state ${key.keyState}`;

export function requireUsage(key: KeyRecord, usage: KeyUsageType, operationName: string): void {
  if (key.keyUsage !== usage) {
    throw new InvalidKeyUsageException(`${key.arn} key usage is ${key.keyUsage} which is not valid for ${operationName}.`);
  }
}

export function requireSymmetric(key: KeyRecord, what: string): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw new UnsupportedOperationException(`${key.arn} origin is ${key.origin} and key spec is ${key.keySpec}, which is not supported for ${what}.`);
  }
}

export function dryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) throw new DryRunOperationException('The request would have succeeded, but the DryRun option is set.');
}

export const currentMaterial = (key: KeyRecord): KeyMaterial => key.materials[key.materials.length - 1];

/** Pass the store so that a multi-Region key shows its whole set (MultiRegionConfiguration). */
export function keyMetadata(key: KeyRecord, store?: Store): KeyMetadata {
  const symmetric = SPECS[key.keySpec].family === 'symmetric';
  return {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    DeletionDate: key.deletionDate === undefined ? undefined : new Date(key.deletionDate),
    Origin: key.origin,
    KeyManager: key.keyManager,
    // CustomerMasterKeySpec is deprecated and its enum stopped growing; AWS still mirrors KeySpec in it.
    CustomerMasterKeySpec: key.keySpec as CustomerMasterKeySpec,
    KeySpec: key.keySpec,
    ...algorithmsFor(key.keySpec, key.keyUsage),
    MultiRegion: key.multiRegion,
    MultiRegionConfiguration: store && multiRegionConfiguration(store, key),
    // Only while a multi-Region primary waits for its replicas; otherwise DeletionDate says it (API_KeyMetadata.html).
    PendingDeletionWindowInDays: key.keyState === 'PendingReplicaDeletion' ? key.pendingWindowInDays : undefined,
    // Origin EXTERNAL only: the earliest expiry of the key's imported materials (operations/import.ts).
    ExpirationModel: key.imported?.expirationModel,
    ValidTo: key.imported?.validTo === undefined ? undefined : new Date(key.imported.validTo),
    CurrentKeyMaterialId: symmetric && key.materials.length > 0 ? currentMaterial(key).id : undefined,
  };
}
