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
  ['PendingWindowInDays', 'kms:ScheduleKeyDeletionPendingWindowInDays'],
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

type Defaults = (keys: Record<string, ContextValue>, input: Readonly<Record<string, unknown>>) => void;
const setDefault = (keys: Record<string, ContextValue>, key: string, value: ContextValue): void => {
  if (keys[key] === undefined) keys[key] = value;
};
const symmetricDefault: Defaults = (keys) => setDefault(keys, 'kms:EncryptionAlgorithm', 'SYMMETRIC_DEFAULT');
/** The data-key operations always encrypt with SYMMETRIC_DEFAULT, whatever the request says. */
const alwaysSymmetric: Defaults = (keys) => {
  keys['kms:EncryptionAlgorithm'] = 'SYMMETRIC_DEFAULT';
};

/**
 * Condition keys KMS sets from a parameter's default value when the request omits it: "This type of condition works
 * even when the parameter doesn't appear in the request, such as when you use the parameter's default value"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html). Not for every optional member:
 * that page tests an omitted BypassPolicyLockoutSafetyCheck and ExpirationModel with `"Null": true`, so those stay absent.
 * Keyed by API name, as the emulator dispatches.
 */
const REQUEST_DEFAULTS: ReadonlyMap<string, Defaults> = new Map<string, Defaults>([
  // kms:EncryptionAlgorithm: "even when the algorithm isn't specified in the request … SYMMETRIC_DEFAULT".
  ['Encrypt', symmetricDefault],
  ['Decrypt', symmetricDefault],
  // ReEncrypt without either algorithm decrypts and encrypts with the default one.
  ['ReEncrypt', (keys, input) => {
    if (input.SourceEncryptionAlgorithm === undefined && input.DestinationEncryptionAlgorithm === undefined) symmetricDefault(keys, input);
  }],
  ['ReEncryptFrom', symmetricDefault],
  ['ReEncryptTo', symmetricDefault],
  ['GenerateDataKey', alwaysSymmetric],
  ['GenerateDataKeyWithoutPlaintext', alwaysSymmetric],
  ['GenerateDataKeyPair', alwaysSymmetric],
  ['GenerateDataKeyPairWithoutPlaintext', alwaysSymmetric],
  // MessageType defaults to RAW (API_Sign.html, API_Verify.html).
  ['Sign', (keys) => setDefault(keys, 'kms:MessageType', 'RAW')],
  ['Verify', (keys) => setDefault(keys, 'kms:MessageType', 'RAW')],
  // RotationPeriodInDays defaults to 365 (API_EnableKeyRotation.html).
  ['EnableKeyRotation', (keys) => setDefault(keys, 'kms:RotationPeriodInDays', 365)],
  // PendingWindowInDays defaults to 30 (API_ScheduleKeyDeletion.html).
  ['ScheduleKeyDeletion', (keys) => setDefault(keys, 'kms:ScheduleKeyDeletionPendingWindowInDays', 30)],
  // CreateKey: kms:KeySpec, kms:KeyUsage, kms:KeyOrigin and kms:MultiRegion describe the key it creates (API_CreateKey.html defaults).
  ['CreateKey', (keys, input) => {
    const spec = input.KeySpec ?? input.CustomerMasterKeySpec;
    keys['kms:KeySpec'] = typeof spec === 'string' ? spec : 'SYMMETRIC_DEFAULT';
    keys['kms:KeyUsage'] = typeof input.KeyUsage === 'string' ? input.KeyUsage : 'ENCRYPT_DECRYPT';
    keys['kms:KeyOrigin'] = typeof input.Origin === 'string' ? input.Origin : 'AWS_KMS';
    setDefault(keys, 'kms:MultiRegion', false);
    if (keys['kms:MultiRegion'] === true) keys['kms:MultiRegionKeyType'] = 'PRIMARY';
  }],
]);
/** By action, as policies and the simulator name them (`kms:Encrypt`, case-insensitive). */
const DEFAULTS_BY_ACTION: ReadonlyMap<string, Defaults> = new Map([...REQUEST_DEFAULTS].map(([name, f]) => [`kms:${name.toLowerCase()}`, f]));

/**
 * The kms: condition keys of a request: its members that are condition keys, and the defaults KMS uses for the ones it
 * omits. `operation` is the API name (`Encrypt`) or the action (`kms:Encrypt`).
 */
export function requestConditionKeys(input: Readonly<Record<string, unknown>>, operation?: string): Record<string, ContextValue> {
  // A request has a handful of members against the table's fifteen: walk the members (on every emulator request).
  const keys: Record<string, ContextValue> = {};
  for (const member in input) {
    const key = CONDITION_KEY_OF.get(member);
    if (key === undefined) continue;
    const v = input[member];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') keys[key] = v;
  }
  if (operation !== undefined) {
    // The exact API name first: this runs on every emulator request.
    const defaults = REQUEST_DEFAULTS.get(operation) ?? (operation.includes(':') ? DEFAULTS_BY_ACTION.get(operation.toLowerCase()) : undefined);
    defaults?.(keys, input);
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
  /** The key's aliases (kms:ResourceAliases), when known. */
  aliases?: readonly string[];
}

/** kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion, kms:MultiRegionKeyType (and kms:ResourceAliases when given) of `key`, written into `into`. */
export function keyConditionKeys(key: KeyFacts, into: Record<string, ContextValue> = {}): Record<string, ContextValue> {
  into['kms:KeySpec'] = key.keySpec;
  into['kms:KeyUsage'] = key.keyUsage;
  if (key.origin !== undefined) into['kms:KeyOrigin'] = key.origin;
  if (key.multiRegion !== undefined) into['kms:MultiRegion'] = key.multiRegion;
  if (key.multiRegion && key.multiRegionKeyType) into['kms:MultiRegionKeyType'] = key.multiRegionKeyType;
  if (key.aliases) into['kms:ResourceAliases'] = [...key.aliases];
  return into;
}
