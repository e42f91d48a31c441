/**
 * Loads a region's full key inventory through the KMS API alone: ListKeys (paged), ListAliases (paged,
 * once), then per key DescribeKey, ListResourceTags and, for symmetric customer managed keys,
 * GetKeyRotationStatus. Every request goes through one concurrency limit and is retried on throttling.
 */
import 'server-only';
import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { keyTypeOf, type Inventory, type KeyRow, type KmsErrorInfo, type RotationInfo, type Scope } from './inventory-types';
import { createLimiter } from './limiter';
import { withThrottleRetry, type RetryOptions } from './throttle-retry';

export interface LoadInventoryOptions {
  /** Requests in flight at once. KMS control-plane quotas are small per API; 16 stays well inside them. */
  concurrency?: number;
  retry?: RetryOptions;
  now?: () => number;
}

// States in which GetKeyRotationStatus answers; otherwise it fails with KMSInvalidStateException.
const ROTATION_READABLE_STATES = new Set(['Enabled', 'Disabled']);

export function errorInfo(error: unknown): KmsErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export async function loadInventory(kms: KMSClient, scope: Scope, options: LoadInventoryOptions = {}): Promise<Inventory> {
  const now = options.now ?? Date.now;
  const started = performance.now();
  const limit = createLimiter(options.concurrency ?? 16);
  let requests = 0;
  let throttledRetries = 0;
  const retry: RetryOptions = {
    ...options.retry,
    onRetry: (error, attempt, delayMs) => {
      throttledRetries++;
      options.retry?.onRetry?.(error, attempt, delayMs);
    },
  };
  // The limiter wraps each attempt, not the whole retry, so a call backing off frees its slot.
  const call = <T>(send: () => Promise<T>): Promise<T> =>
    withThrottleRetry(
      () =>
        limit(() => {
          requests++;
          return send();
        }),
      retry,
    );

  const [keyIds, aliases] = await Promise.all([listKeyIds(kms, call), listAliasesByKey(kms, call)]);

  const rows = await Promise.all(keyIds.map((keyId) => loadRow(kms, call, keyId, aliases.get(keyId) ?? [])));
  const keys = rows.filter((row): row is KeyRow => row !== null);
  return { scope, keys, refreshedAt: now(), loadMs: Math.round(performance.now() - started), requests, throttledRetries };
}

export type Call = <T>(send: () => Promise<T>) => Promise<T>;

/**
 * The current rows of `keyIds` (null for a key that no longer exists): what a change to a few keys needs
 * instead of a reload of every key in the region.
 */
export async function loadRows(kms: KMSClient, keyIds: string[]): Promise<Map<string, KeyRow | null>> {
  const call: Call = (send) => withThrottleRetry(send);
  const rows = new Map<string, KeyRow | null>();
  await Promise.all(
    keyIds.map(async (keyId) => {
      let aliases: string[] = [];
      try {
        const page = await call(() => kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 100 })));
        aliases = (page.Aliases ?? []).map((alias) => alias.AliasName).filter((name): name is string => !!name).sort();
      } catch (error) {
        if (!(error instanceof Error && error.name === 'NotFoundException')) throw error;
        rows.set(keyId, null);
        return;
      }
      rows.set(keyId, await loadRow(kms, call, keyId, aliases));
    }),
  );
  return rows;
}

async function listKeyIds(kms: KMSClient, call: Call): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    // 1000 is ListKeys' largest page.
    const page = await call(() => kms.send(new ListKeysCommand({ Limit: 1000, Marker: marker })));
    for (const key of page.Keys ?? []) if (key.KeyId) ids.push(key.KeyId);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return ids;
}

async function listAliasesByKey(kms: KMSClient, call: Call): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  let marker: string | undefined;
  do {
    const page = await call(() => kms.send(new ListAliasesCommand({ Limit: 100, Marker: marker })));
    for (const alias of page.Aliases ?? []) {
      // Predefined AWS managed aliases without a key yet have no TargetKeyId.
      if (!alias.TargetKeyId || !alias.AliasName) continue;
      const list = byKey.get(alias.TargetKeyId);
      if (list) list.push(alias.AliasName);
      else byKey.set(alias.TargetKeyId, [alias.AliasName]);
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  for (const list of byKey.values()) list.sort();
  return byKey;
}

async function loadRow(kms: KMSClient, call: Call, keyId: string, aliases: string[]): Promise<KeyRow | null> {
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await call(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })))).KeyMetadata;
  } catch (error) {
    // Deleted between ListKeys and DescribeKey: it is simply gone.
    if (error instanceof Error && error.name === 'NotFoundException') return null;
    return unknownRow(keyId, aliases, { operation: 'DescribeKey', ...errorInfo(error) });
  }
  if (!metadata) return unknownRow(keyId, aliases, { operation: 'DescribeKey', name: 'EmptyResponse', message: 'DescribeKey returned no KeyMetadata.' });

  return enrichRow(kms, call, rowFromMetadata(metadata, aliases));
}

/** Adds tags and rotation status to a row built from DescribeKey; a failed call is noted on the row. */
export async function enrichRow(kms: KMSClient, call: Call, row: KeyRow): Promise<KeyRow> {
  const keyId = row.id;
  if (row.manager !== 'CUSTOMER') {
    // AWS managed keys cannot be tagged, and AWS rotates them every year (developer guide, "Rotating AWS
    // KMS keys"): both are known without a call, which saves two requests per key.
    row.rotation = { enabled: true, periodDays: 365 };
    return row;
  }

  const wantsRotation = row.type === 'Symmetric' && row.origin === 'AWS_KMS' && ROTATION_READABLE_STATES.has(row.state);
  const [tags, rotation] = await Promise.allSettled([
    listTags(kms, call, keyId),
    wantsRotation ? call(() => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))) : Promise.resolve(null),
  ]);
  if (tags.status === 'fulfilled') row.tags = tags.value;
  else row.error = { operation: 'ListResourceTags', ...errorInfo(tags.reason) };
  if (rotation.status === 'fulfilled') {
    const status = rotation.value;
    if (status) {
      const info: RotationInfo = { enabled: status.KeyRotationEnabled === true };
      if (status.RotationPeriodInDays !== undefined) info.periodDays = status.RotationPeriodInDays;
      if (info.enabled && status.NextRotationDate) info.nextAt = status.NextRotationDate.getTime();
      row.rotation = info;
    }
  } else {
    row.error ??= { operation: 'GetKeyRotationStatus', ...errorInfo(rotation.reason) };
  }
  return row;
}

async function listTags(kms: KMSClient, call: Call, keyId: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  do {
    // 50 is both the page limit and the most tags a key can have: one call per key in practice.
    const page = await call(() => kms.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50, Marker: marker })));
    for (const tag of page.Tags ?? []) if (tag.TagKey !== undefined) tags[tag.TagKey] = tag.TagValue ?? '';
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return tags;
}

export function rowFromMetadata(metadata: KeyMetadata, aliases: string[]): KeyRow {
  const spec = metadata.KeySpec ?? 'SYMMETRIC_DEFAULT';
  const row: KeyRow = {
    id: metadata.KeyId!,
    aliases,
    description: metadata.Description ?? '',
    state: metadata.KeyState ?? 'Unavailable',
    manager: metadata.KeyManager === 'AWS' ? 'AWS' : 'CUSTOMER',
    type: keyTypeOf(spec),
    spec,
    usage: metadata.KeyUsage ?? '',
    origin: metadata.Origin ?? '',
    multiRegion: metadata.MultiRegion ? (metadata.MultiRegionConfiguration?.MultiRegionKeyType ?? 'PRIMARY') : null,
    rotation: null,
    createdAt: metadata.CreationDate?.getTime() ?? 0,
    tags: {},
  };
  if (metadata.DeletionDate) row.deletionAt = metadata.DeletionDate.getTime();
  return row;
}

function unknownRow(keyId: string, aliases: string[], error: KeyRow['error']): KeyRow {
  return {
    id: keyId,
    aliases,
    description: '',
    state: 'Unknown',
    manager: 'CUSTOMER',
    type: 'Symmetric',
    spec: '',
    usage: '',
    origin: '',
    multiRegion: null,
    rotation: null,
    createdAt: 0,
    tags: {},
    error,
  };
}
