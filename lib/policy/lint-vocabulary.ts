/**
 * The names a KMS key policy may use: the IAM actions of the 54 KMS API operations (botocore's
 * kms/2014-11-01 service model; ReEncrypt is authorized as kms:ReEncryptFrom and kms:ReEncryptTo) and the
 * condition keys KMS and IAM define (KMS developer guide conditions-kms.html, IAM User Guide
 * reference_policies_condition-keys.html).
 */
import { wildcardMatch } from './match';

const OPERATIONS = [
  'CancelKeyDeletion', 'ConnectCustomKeyStore', 'CreateAlias', 'CreateCustomKeyStore', 'CreateGrant', 'CreateKey', 'Decrypt', 'DeleteAlias',
  'DeleteCustomKeyStore', 'DeleteImportedKeyMaterial', 'DeriveSharedSecret', 'DescribeCustomKeyStores', 'DescribeKey', 'DisableKey',
  'DisableKeyRotation', 'DisconnectCustomKeyStore', 'EnableKey', 'EnableKeyRotation', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GenerateRandom', 'GetKeyLastUsage', 'GetKeyPolicy',
  'GetKeyRotationStatus', 'GetParametersForImport', 'GetPublicKey', 'ImportKeyMaterial', 'ListAliases', 'ListGrants', 'ListKeyPolicies',
  'ListKeyRotations', 'ListKeys', 'ListResourceTags', 'ListRetirableGrants', 'PutKeyPolicy', 'ReEncrypt', 'ReplicateKey', 'RetireGrant',
  'RevokeGrant', 'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'Sign', 'TagResource', 'UntagResource', 'UpdateAlias', 'UpdateCustomKeyStore',
  'UpdateKeyDescription', 'UpdatePrimaryRegion', 'Verify', 'VerifyMac',
] as const;

/** The 54 operations of the KMS API. */
export const KMS_OPERATIONS: readonly string[] = OPERATIONS;

/** Every `kms:` action a policy can name. */
export const KMS_ACTIONS: readonly string[] = [...OPERATIONS.filter((o) => o !== 'ReEncrypt'), 'ReEncryptFrom', 'ReEncryptTo']
  .map((o) => `kms:${o}`)
  .sort();

/** The actions a pattern such as `kms:Get*` covers (case-insensitive, as IAM matches actions). */
export function expandAction(pattern: string): string[] {
  if (pattern === '*') return [...KMS_ACTIONS];
  return KMS_ACTIONS.filter((a) => wildcardMatch(pattern, a, true));
}

const KMS_KEYS = [
  'kms:BypassPolicyLockoutSafetyCheck', 'kms:CallerAccount', 'kms:CustomerMasterKeySpec', 'kms:CustomerMasterKeyUsage', 'kms:DataKeyPairSpec',
  'kms:EncryptionAlgorithm', 'kms:EncryptionContextKeys', 'kms:ExpirationModel', 'kms:GrantConstraintType', 'kms:GrantIsForAWSResource',
  'kms:GrantOperations', 'kms:GranteePrincipal', 'kms:KeyAgreementAlgorithm', 'kms:KeyOrigin', 'kms:KeySpec', 'kms:KeyUsage', 'kms:MacAlgorithm',
  'kms:MessageType', 'kms:MultiRegion', 'kms:MultiRegionKeyType', 'kms:PrimaryRegion', 'kms:ReEncryptOnSameKey', 'kms:RequestAlias',
  'kms:ResourceAliases', 'kms:ReplicaRegion', 'kms:RetiringPrincipal', 'kms:RotationPeriodInDays', 'kms:ScheduleKeyDeletionPendingWindowInDays',
  'kms:SigningAlgorithm', 'kms:ValidTo', 'kms:ViaService', 'kms:WrappingAlgorithm', 'kms:WrappingKeySpec',
];
const GLOBAL_KEYS = [
  'aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast', 'aws:CurrentTime', 'aws:EpochTime', 'aws:FederatedProvider', 'aws:MultiFactorAuthAge',
  'aws:MultiFactorAuthPresent', 'aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:PrincipalIsAWSService', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths',
  'aws:PrincipalServiceName', 'aws:PrincipalServiceNamesList', 'aws:PrincipalType', 'aws:Referer', 'aws:RequestedRegion', 'aws:ResourceAccount',
  'aws:ResourceOrgID', 'aws:ResourceOrgPaths', 'aws:SecureTransport', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceIdentity', 'aws:SourceIp',
  'aws:SourceOrgID', 'aws:SourceOrgPaths', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:TagKeys', 'aws:TokenIssueTime', 'aws:UserAgent', 'aws:userid',
  'aws:username', 'aws:ViaAWSService', 'aws:VpcSourceIp', 'aws:Ec2InstanceSourceVpc', 'aws:Ec2InstanceSourcePrivateIPv4',
];
const KNOWN_KEYS = new Set([...KMS_KEYS, ...GLOBAL_KEYS].map((k) => k.toLowerCase()));
const KNOWN_PREFIXES = ['kms:encryptioncontext:', 'kms:recipientattestation:', 'aws:principaltag/', 'aws:requesttag/', 'aws:resourcetag/'];

/** Whether KMS or IAM defines the condition key (names are case-insensitive). */
export function isKnownConditionKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (KNOWN_KEYS.has(lower)) return true;
  return KNOWN_PREFIXES.some((p) => lower.startsWith(p) && lower.length > p.length);
}

/** Keys that can carry several values in one request, where two different StringEquals values are not a contradiction. */
export const MULTI_VALUED_KEYS = new Set(
  ['kms:EncryptionContextKeys', 'kms:GrantOperations', 'kms:ResourceAliases', 'aws:TagKeys', 'aws:PrincipalOrgPaths', 'aws:CalledVia', 'aws:PrincipalServiceNamesList', 'aws:SourceOrgPaths', 'aws:ResourceOrgPaths'].map(
    (k) => k.toLowerCase(),
  ),
);
