/**
 * How fast an inventory load may call each KMS read operation in real AWS: a share of AWS's default
 * per-API request quota, so that the applications of the account, which share those quotas, are not
 * throttled while the console loads.
 */

/**
 * AWS KMS's default request quotas, in requests per second per account and Region, of the operations an
 * inventory load makes. Each is counted on its own (a DescribeKey does not use GetKeyRotationStatus's).
 * Source: AWS KMS developer guide, "Request quotas",
 * https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (checked 2026-11-23).
 */
export const KMS_READ_QUOTAS = {
  ListKeys: 500,
  ListAliases: 500,
  DescribeKey: 2000,
  ListResourceTags: 2000,
  GetKeyRotationStatus: 1000,
} as const;

export type InventoryOperation = keyof typeof KMS_READ_QUOTAS;

/** The share of each quota a load may use: the other half stays for the account's applications. */
export const QUOTA_SHARE = 0.5;

/** Requests per second per operation at QUOTA_SHARE of the default quotas. */
export const AWS_INVENTORY_RATES: Record<InventoryOperation, number> = Object.fromEntries(
  Object.entries(KMS_READ_QUOTAS).map(([operation, quota]) => [operation, quota * QUOTA_SHARE]),
) as Record<InventoryOperation, number>;

/**
 * Requests in flight in aws mode: enough to reach those rates through network latency (at ~25 ms a
 * request, 64 in flight make ~2,500 requests/s, the sum of the three per-key rates), never more.
 */
export const AWS_INVENTORY_CONCURRENCY = 64;

/** Spaces calls `1000 / perSecond` ms apart: each caller awaits its turn. */
export type Pacer = () => Promise<void>;

export function createPacer(perSecond: number, now: () => number = () => performance.now()): Pacer {
  if (!(perSecond > 0)) throw new RangeError(`perSecond must be positive, not ${perSecond}`);
  const interval = 1000 / perSecond;
  let next = -Infinity;
  return () => {
    const at = now();
    const slot = Math.max(at, next);
    next = slot + interval;
    const wait = slot - at;
    return wait < 1 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, wait));
  };
}
