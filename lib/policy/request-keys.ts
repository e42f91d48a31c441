/**
 * The condition keys a KMS request carries besides the caller's: request members (conditions-kms.html)
 * and kms:GrantIsForAWSResource. Shared by the emulator, which reads them from real requests, and the
 * simulator, which is given them, so both put the same keys in front of `evaluate`.
 */
import type { ContextValue } from './types';

/** Request members that policies can test as kms: condition keys (conditions-kms.html). */
export const CONDITION_MEMBERS: readonly (readonly [member: string, key: string])[] = [
  ['EncryptionAlgorithm', 'kms:EncryptionAlgorithm'],
  ['SigningAlgorithm', 'kms:SigningAlgorithm'],
  ['MacAlgorithm', 'kms:MacAlgorithm'],
  ['MessageType', 'kms:MessageType'],
  ['KeyPairSpec', 'kms:DataKeyPairSpec'],
  ['KeyAgreementAlgorithm', 'kms:KeyAgreementAlgorithm'],
  ['RotationPeriodInDays', 'kms:RotationPeriodInDays'],
  ['BypassPolicyLockoutSafetyCheck', 'kms:BypassPolicyLockoutSafetyCheck'],
  ['MultiRegion', 'kms:MultiRegion'],
  ['ReplicaRegion', 'kms:ReplicaRegion'],
  ['PrimaryRegion', 'kms:PrimaryRegion'],
  ['WrappingAlgorithm', 'kms:WrappingAlgorithm'],
  ['WrappingKeySpec', 'kms:WrappingKeySpec'],
  ['ExpirationModel', 'kms:ExpirationModel'],
  ['ValidTo', 'kms:ValidTo'],
];

/** The condition keys of a request's members (`{ EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }` → kms:EncryptionAlgorithm). */
const CONDITION_KEY_OF: ReadonlyMap<string, string> = new Map(CONDITION_MEMBERS);

export function requestConditionKeys(input: Readonly<Record<string, unknown>>): Record<string, ContextValue> {
  // A request has a handful of members against the table's fifteen: walk the members (on every emulator request).
  const keys: Record<string, ContextValue> = {};
  for (const member in input) {
    const key = CONDITION_KEY_OF.get(member);
    if (key === undefined) continue;
    const v = input[member];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') keys[key] = v;
  }
  return keys;
}

/** The grant operations that carry kms:GrantIsForAWSResource: true only when an AWS service calls them for the caller. */
export const GRANT_RESOURCE_ACTIONS: ReadonlySet<string> = new Set(['kms:creategrant', 'kms:listgrants', 'kms:revokegrant']);

/** What KMS knows of the key a request is about, which policies can test (conditions-kms.html). */
export interface KeyFacts {
  keySpec: string;
  keyUsage: string;
  origin?: string;
  multiRegion?: boolean;
  /** For a multi-Region key. */
  multiRegionKeyType?: 'PRIMARY' | 'REPLICA';
}

/** kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion and kms:MultiRegionKeyType of `key`, written into `into`. */
export function keyConditionKeys(key: KeyFacts, into: Record<string, ContextValue> = {}): Record<string, ContextValue> {
  into['kms:KeySpec'] = key.keySpec;
  into['kms:KeyUsage'] = key.keyUsage;
  if (key.origin !== undefined) into['kms:KeyOrigin'] = key.origin;
  if (key.multiRegion !== undefined) into['kms:MultiRegion'] = key.multiRegion;
  if (key.multiRegion && key.multiRegionKeyType) into['kms:MultiRegionKeyType'] = key.multiRegionKeyType;
  return into;
}
