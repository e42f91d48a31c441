/**
 * AWS KMS prices, dated, with their sources. A table applies from its `effectiveFrom` day (UTC) until the
 * next one; cost functions pick the table in force on each day, so a price change splits a month cleanly.
 *
 * Source: https://aws.amazon.com/kms/pricing/ (checked 2026-11-23; the same figures in every commercial
 * Region this console covers):
 * - Key storage: $1/month per KMS key, prorated hourly — symmetric, asymmetric, HMAC, each multi-Region
 *   primary and replica, imported key material, custom key stores. AWS managed and AWS owned keys: no
 *   charge. Customer managed keys scheduled for deletion: no charge (a cancelled deletion is charged as
 *   if never scheduled).
 * - Rotation: each newly generated backing key adds $1/month (prorated hourly) for the first and the
 *   second rotation of a key; later rotations add nothing (at most $3 per key-month).
 * - Requests: $0.03 per 10,000 (symmetric, HMAC — HMAC keys are symmetric keys, developer guide
 *   https://docs.aws.amazon.com/kms/latest/developerguide/hmac.html); $0.03 per 10,000 asymmetric requests
 *   with RSA 2048 keys; $0.10 per 10,000 ECC GenerateDataKeyPair; $0.15 per 10,000 other asymmetric
 *   requests (RSA 3072/4096, ECC, ML-DSA …); $12.00 per 10,000 RSA GenerateDataKeyPair.
 * - Free tier: 20,000 requests/month calculated across all Regions. GenerateDataKeyPair(WithoutPlaintext)
 *   and requests such as Sign, Verify, Encrypt, Decrypt and GetPublicKey that reference asymmetric keys
 *   are excluded from it.
 * - The account that makes a request pays for it (cross-account use).
 */

export type PriceClass = 'symmetric' | 'rsa-2048' | 'asymmetric' | 'gdkp-ecc' | 'gdkp-rsa';

export interface PriceTable {
  /** First day (UTC, YYYY-MM-DD) the table applies. */
  effectiveFrom: string;
  source: string;
  checkedOn: string;
  currency: 'USD';
  /** Per key-month, prorated hourly. */
  keyMonth: number;
  /** Per key-month for each charged rotation. */
  rotationMonth: number;
  /** Rotations that carry the surcharge (the first and the second). */
  chargedRotations: number;
  /** Per 10,000 requests. */
  requestsPer10k: Record<PriceClass, number>;
  freeRequestsPerMonth: number;
  /** Classes whose requests count toward (and are covered by) the free tier. */
  freeTierClasses: readonly PriceClass[];
}

export const PRICE_TABLES: readonly PriceTable[] = [
  {
    effectiveFrom: '2024-05-01', // rotation surcharge capped at the second rotation since May 2024
    source: 'https://aws.amazon.com/kms/pricing/',
    checkedOn: '2026-11-23',
    currency: 'USD',
    keyMonth: 1,
    rotationMonth: 1,
    chargedRotations: 2,
    requestsPer10k: { symmetric: 0.03, 'rsa-2048': 0.03, asymmetric: 0.15, 'gdkp-ecc': 0.1, 'gdkp-rsa': 12 },
    freeRequestsPerMonth: 20_000,
    freeTierClasses: ['symmetric'],
  },
];

/** The table in force on `day` (YYYY-MM-DD); before the first, the first. */
export function tableFor(day: string, tables: readonly PriceTable[] = PRICE_TABLES): PriceTable {
  let found = tables[0];
  for (const t of tables) if (t.effectiveFrom <= day) found = t;
  return found;
}
