/**
 * AWS KMS's shared request quota for symmetric cryptographic operations (Decrypt, Encrypt,
 * GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateMac, GenerateRandom, ReEncrypt, VerifyMac),
 * per account and Region, default values. Source: AWS KMS developer guide, "Request quotas",
 * https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (checked 2026-11-23).
 * Quotas are adjustable; a raised quota shows in Service Quotas, not here.
 */
const HIGH = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);
const MEDIUM = new Set(['us-east-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'eu-central-1', 'eu-west-2']);

export function symmetricQuota(region: string): number {
  if (HIGH.has(region)) return 100_000;
  if (MEDIUM.has(region)) return 20_000;
  return 10_000;
}

export const QUOTA_SOURCE = 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html';
