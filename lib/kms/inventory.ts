/**
 * Loads a region's full key inventory through the KMS API alone: ListKeys (paged), ListAliases (paged,
 * once, alongside), then per key DescribeKey, ListResourceTags (customer managed keys) and, for keys whose
 * rotation status can be anything but "off", GetKeyRotationStatus. The per-key requests share one
 * concurrency limit, may be paced per operation (aws mode: see inventory-quotas.ts), and are retried on
 * throttling.
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
import { createPacer, type InventoryOperation } from './inventory-quotas';
import { keyTypeOf, type Inventory, type KeyRow, type KmsErrorInfo, type RotationInfo, type Scope } from './inventory-types';
import { createLimiter } from './limiter';
import { withThrottleRetry, type RetryOptions } from './throttle-retry';

export interface LoadInventoryOptions {
  /**
   * Per-key requests in flight at once (the two list pagers run beside them, one page at a time). 16
   * suits the in-process emulator, which is CPU-bound; aws mode raises it to hide network latency and
   * keeps within the quotas with `rates`.
   */
  concurrency?: number;
  /** Requests per second per operation, at most (absent: unpaced). */
  rates?: Partial<Record<InventoryOperation, number>>;
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
  // The pagers are sequential by nature: they get lanes of their own rather than queue behind thousands of per-key calls.
  const listLanes = { ListKeys: createLimiter(1), ListAliases: createLimiter(1) };
  const pacers = new Map(Object.entries(options.rates ?? {}).map(([operation, rate]) => [operation, createPacer(rate)]));
  let requests = 0;
  const requestsByOperation: Partial<Record<InventoryOperation, number>> = {};
  let throttledRetries = 0;
  const retry: RetryOptions = {
    ...options.retry,
    onRetry: (error, attempt, delayMs) => {
      throttledRetries++;
      options.retry?.onRetry?.(error, attempt, delayMs);
    },
  };
  // Each attempt is paced, then takes a slot (the limiter wraps the attempt, not the retry, so a call
  // backing off frees its slot).
  const call: Call = (send, operation) =>
    withThrottleRetry(async () => {
      const pace = operation && pacers.get(operation);
      if (pace) await pace();
      const lane = operation === 'ListKeys' || operation === 'ListAliases' ? listLanes[operation] : limit;
      return lane(() => {
        requests++;
        if (operation) requestsByOperation[operation] = (requestsByOperation[operation] ?? 0) + 1;
        return send();
      });
    }, retry);

  // Rows load as ListKeys pages arrive, while ListAliases pages alongside; aliases join the rows at the end.
  const aliasesLoaded = listAliasesByKey(kms, call);
  const rowsLoading: Promise<KeyRow | null>[] = [];
  try {
    await listKeyIds(kms, call, (keyId) => rowsLoading.push(loadRow(kms, call, keyId, [])));
  } catch (error) {
    // The requests already under way settle first, so none is left to reject unhandled (which kills a server).
    await Promise.allSettled([aliasesLoaded, ...rowsLoading]);
    throw error;
  }
  const [aliases, rows] = await Promise.all([aliasesLoaded, Promise.all(rowsLoading)]);
  const keys = rows.filter((row): row is KeyRow => row !== null);
  for (const row of keys) row.aliases = aliases.get(row.id) ?? [];
  return { scope, keys, refreshedAt: now(), loadMs: Math.round(performance.now() - started), requests, requestsByOperation, throttledRetries };
}

/** Sends one request; `operation` names it for pacing and counting. */
export type Call = <T>(send: () => Promise<T>, operation?: InventoryOperation) => Promise<T>;

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
        const page = await call(() => kms.send(new ListAliasesCommand({ KeyId: keyId, Limit: 100 })), 'ListAliases');
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

/** Pages through ListKeys, handing each key id to `onKey` as its page arrives. */
async function listKeyIds(kms: KMSClient, call: Call, onKey: (keyId: string) => void): Promise<void> {
  let marker: string | undefined;
  do {
    // 1000 is ListKeys' largest page.
    const page = await call(() => kms.send(new ListKeysCommand({ Limit: 1000, Marker: marker })), 'ListKeys');
    for (const key of page.Keys ?? []) if (key.KeyId) onKey(key.KeyId);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
}

async function listAliasesByKey(kms: KMSClient, call: Call): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  let marker: string | undefined;
  do {
    // 100 is ListAliases' largest page.
    const page = await call(() => kms.send(new ListAliasesCommand({ Limit: 100, Marker: marker })), 'ListAliases');
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
    metadata = (await call(() => kms.send(new DescribeKeyCommand({ KeyId: keyId })), 'DescribeKey')).KeyMetadata;
  } catch (error) {
    // Deleted between ListKeys and DescribeKey: it is simply gone.
    if (error instanceof Error && error.name === 'NotFoundException') return null;
    return unknownRow(keyId, aliases, { operation: 'DescribeKey', ...errorInfo(error) });
  }
  if (!metadata) return unknownRow(keyId, aliases, { operation: 'DescribeKey', name: 'EmptyResponse', message: 'DescribeKey returned no KeyMetadata.' });

  return enrichRow(kms, call, rowFromMetadata(metadata, aliases));
}

/**
 * Whether GetKeyRotationStatus can tell anything DescribeKey has not: only for a symmetric encryption key
 * with KMS's own key material, in a state where the call answers. Skipped, because KMS does not rotate them
 * automatically: asymmetric and HMAC keys (key spec), keys with imported material (origin EXTERNAL) and
 * keys in a custom key store (origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE) — KMS API reference,
 * EnableKeyRotation: "Automatic key rotation is supported only on symmetric encryption KMS keys. You cannot
 * enable automatic rotation of asymmetric KMS keys, HMAC KMS keys, KMS keys with imported key material, or
 * KMS keys in a custom key store." (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html).
 * AWS managed keys are handled before (always yearly).
 */
export function rotationStatusCanVary(row: Pick<KeyRow, 'type' | 'origin' | 'state'>): boolean {
  return row.type === 'Symmetric' && row.origin === 'AWS_KMS' && ROTATION_READABLE_STATES.has(row.state);
}

/** Adds tags and rotation status to a row built from DescribeKey; a failed call is noted on the row. */
export async function enrichRow(kms: KMSClient, call: Call, row: KeyRow): Promise<KeyRow> {
  const keyId = row.id;
  if (row.manager !== 'CUSTOMER') {
    // AWS managed keys cannot be tagged, and "AWS KMS always rotates the key material for every year"
    // (KMS API reference, DisableKeyRotation): both are known without a call, which saves two requests per key.
    row.rotation = { enabled: true, periodDays: 365 };
    return row;
  }

  const [tags, rotation] = await Promise.allSettled([
    listTags(kms, call, keyId),
    rotationStatusCanVary(row) ? call(() => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })), 'GetKeyRotationStatus') : Promise.resolve(null),
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
    const page = await call(() => kms.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50, Marker: marker })), 'ListResourceTags');
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
