/**
 * One CloudTrail event of a KMS call, reduced to what the usage store keys on: the key, the caller, the
 * error, the user agent's family, and the request classes for quotas and prices. Pure.
 */
import type { Event } from '@aws-sdk/client-cloudtrail';

/** The request-quota class a call counts against (AWS KMS developer guide, "Request quotas"). */
export type QuotaClass = 'symmetric' | 'rsa' | 'ecc' | 'ml-dsa' | 'other';
/**
 * The price class of a call (AWS KMS pricing page). 'asymmetric' is refined by the key's spec when
 * costed: RSA_2048 keys are billed like symmetric ones, other asymmetric keys at the higher rate.
 */
export type RequestClass = 'symmetric' | 'asymmetric' | 'gdkp-rsa' | 'gdkp-ecc';

export interface UsageEvent {
  eventId: string;
  /** Epoch seconds. */
  time: number;
  account: string;
  region: string;
  keyArn: string;
  eventName: string;
  principal: string;
  errorCode: string;
  userAgentFamily: string;
  quotaClass: QuotaClass;
  requestClass: RequestClass;
  json: string;
}

interface Record {
  userIdentity?: {
    type?: string;
    arn?: string;
    accountId?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
  errorCode?: string;
  userAgent?: string;
  requestParameters?: { [name: string]: unknown } | null;
  resources?: { ARN?: string; type?: string }[];
  recipientAccountId?: string;
}

/** Operations in AWS's shared "Cryptographic operations (symmetric)" quota. */
const SYMMETRIC_QUOTA = new Set(['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom', 'ReEncrypt', 'VerifyMac']);

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The caller as one stable name: an assumed role's role ARN (sessions differ), a user's ARN, a service's name. */
export function principalOf(record: Record, username = ''): string {
  const identity = record.userIdentity;
  if (!identity) return username || 'unknown';
  if (identity.type === 'AssumedRole' && identity.sessionContext?.sessionIssuer?.arn) return identity.sessionContext.sessionIssuer.arn;
  if (identity.type === 'AWSService' && identity.invokedBy) return identity.invokedBy;
  return identity.arn || identity.invokedBy || username || 'unknown';
}

/** The family of a user agent: which tool or SDK made the call, without its versions. */
export function userAgentFamily(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (!ua) return 'unknown';
  if (/keydeck/i.test(ua)) return 'keydeck';
  if (/^aws-cli\//i.test(ua)) return 'aws-cli';
  if (/^(aws-sdk-js\/3|.*\bapi\/kms#)/i.test(ua) || /aws-sdk-js/i.test(ua)) return 'aws-sdk-js';
  if (/boto3/i.test(ua)) return 'boto3';
  if (/botocore/i.test(ua)) return 'botocore';
  if (/aws-sdk-java/i.test(ua)) return 'aws-sdk-java';
  if (/aws-sdk-go/i.test(ua)) return 'aws-sdk-go';
  if (/aws-sdk-(dotnet|net)/i.test(ua)) return 'aws-sdk-dotnet';
  if (/aws-sdk-rust/i.test(ua)) return 'aws-sdk-rust';
  if (/terraform/i.test(ua)) return 'terraform';
  if (/console\.amazonaws\.com|signin\.amazonaws\.com/i.test(ua)) return 'aws-console';
  if (ua === 'AWS Internal' || /^[a-z0-9-]+\.amazonaws\.com$/i.test(ua)) return 'aws-service';
  return 'other';
}

function classes(eventName: string, params: { [name: string]: unknown }): { quotaClass: QuotaClass; requestClass: RequestClass } {
  const encryption = str(params.encryptionAlgorithm) || str(params.sourceEncryptionAlgorithm) || str(params.destinationEncryptionAlgorithm);
  const signing = str(params.signingAlgorithm);
  if (eventName.startsWith('GenerateDataKeyPair')) {
    const rsa = str(params.keyPairSpec).startsWith('RSA');
    return { quotaClass: rsa ? 'rsa' : 'ecc', requestClass: rsa ? 'gdkp-rsa' : 'gdkp-ecc' };
  }
  if (signing) {
    if (signing.startsWith('RSASSA')) return { quotaClass: 'rsa', requestClass: 'asymmetric' };
    if (signing.startsWith('ML_DSA')) return { quotaClass: 'ml-dsa', requestClass: 'asymmetric' };
    return { quotaClass: 'ecc', requestClass: 'asymmetric' };
  }
  if (encryption.startsWith('RSAES')) return { quotaClass: 'rsa', requestClass: 'asymmetric' };
  if (encryption.startsWith('SM2')) return { quotaClass: 'ecc', requestClass: 'asymmetric' };
  if (eventName === 'DeriveSharedSecret') return { quotaClass: 'ecc', requestClass: 'asymmetric' };
  if (eventName === 'GetPublicKey') return { quotaClass: 'other', requestClass: 'asymmetric' };
  return { quotaClass: SYMMETRIC_QUOTA.has(eventName) ? 'symmetric' : 'other', requestClass: 'symmetric' };
}

/** Reduces a LookupEvents result to a usage event of the account-region being synced. */
export function toUsageEvent(event: Event, scope: { account: string; region: string }): UsageEvent {
  const json = event.CloudTrailEvent ?? '{}';
  let record: Record = {};
  try {
    record = JSON.parse(json) as Record;
  } catch {
    // A record that does not parse still counts as a call; it keys on what LookupEvents said.
  }
  const eventName = event.EventName ?? 'Unknown';
  const keyArn =
    record.resources?.find((r) => r.type === 'AWS::KMS::Key')?.ARN ??
    event.Resources?.find((r) => r.ResourceType === 'AWS::KMS::Key')?.ResourceName ??
    '';
  return {
    eventId: event.EventId ?? '',
    time: Math.floor((event.EventTime?.getTime() ?? 0) / 1000),
    account: scope.account,
    region: scope.region,
    keyArn,
    eventName,
    principal: principalOf(record, event.Username),
    errorCode: record.errorCode ?? '',
    userAgentFamily: userAgentFamily(record.userAgent),
    ...classes(eventName, record.requestParameters ?? {}),
    json,
  };
}
