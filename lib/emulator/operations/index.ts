/** The dispatch table: every KMS operation of the API model, by name. */
import * as aliases from './aliases';
import * as asymmetric from './asymmetric';
import * as crypto from './crypto';
import * as grants from './grants';
import * as importing from './import';
import * as keys from './keys';
import * as mac from './mac';
import * as multiRegion from './multi-region';
import * as policy from './policy';
import * as rotation from './rotation';
import * as tags from './tags';
import type { Operation } from './context';

/** All operations of the KMS API model (botocore kms/2014-11-01), so the compiler lists any that is missing. */
export type KmsOperationName =
  | 'CancelKeyDeletion'
  | 'ConnectCustomKeyStore'
  | 'CreateAlias'
  | 'CreateCustomKeyStore'
  | 'CreateGrant'
  | 'CreateKey'
  | 'Decrypt'
  | 'DeleteAlias'
  | 'DeleteCustomKeyStore'
  | 'DeleteImportedKeyMaterial'
  | 'DeriveSharedSecret'
  | 'DescribeCustomKeyStores'
  | 'DescribeKey'
  | 'DisableKey'
  | 'DisableKeyRotation'
  | 'DisconnectCustomKeyStore'
  | 'EnableKey'
  | 'EnableKeyRotation'
  | 'Encrypt'
  | 'GenerateDataKey'
  | 'GenerateDataKeyPair'
  | 'GenerateDataKeyPairWithoutPlaintext'
  | 'GenerateDataKeyWithoutPlaintext'
  | 'GenerateMac'
  | 'GenerateRandom'
  | 'GetKeyLastUsage'
  | 'GetKeyPolicy'
  | 'GetKeyRotationStatus'
  | 'GetParametersForImport'
  | 'GetPublicKey'
  | 'ImportKeyMaterial'
  | 'ListAliases'
  | 'ListGrants'
  | 'ListKeyPolicies'
  | 'ListKeyRotations'
  | 'ListKeys'
  | 'ListResourceTags'
  | 'ListRetirableGrants'
  | 'PutKeyPolicy'
  | 'ReEncrypt'
  | 'ReplicateKey'
  | 'RetireGrant'
  | 'RevokeGrant'
  | 'RotateKeyOnDemand'
  | 'ScheduleKeyDeletion'
  | 'Sign'
  | 'TagResource'
  | 'UntagResource'
  | 'UpdateAlias'
  | 'UpdateCustomKeyStore'
  | 'UpdateKeyDescription'
  | 'UpdatePrimaryRegion'
  | 'Verify'
  | 'VerifyMac';

/** Operations that arrive with later work (grants, imported material, multi-Region keys, custom key stores). */
export const NOT_YET_SUPPORTED = [
  'ConnectCustomKeyStore',
  'CreateCustomKeyStore',
  'DeleteCustomKeyStore',
  'DescribeCustomKeyStores',
  'DisconnectCustomKeyStore',
  'UpdateCustomKeyStore',
] as const satisfies readonly KmsOperationName[];

// Input and output types differ per operation; the dispatcher validates each input against its spec.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, unknown>;

export const OPERATIONS: { [Op in Exclude<KmsOperationName, (typeof NOT_YET_SUPPORTED)[number]>]: AnyOperation } = {
  CreateAlias: aliases.CreateAlias,
  UpdateAlias: aliases.UpdateAlias,
  DeleteAlias: aliases.DeleteAlias,
  ListAliases: aliases.ListAliases,
  Sign: asymmetric.Sign,
  Verify: asymmetric.Verify,
  GetPublicKey: asymmetric.GetPublicKey,
  GenerateDataKeyPair: asymmetric.GenerateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: asymmetric.GenerateDataKeyPairWithoutPlaintext,
  DeriveSharedSecret: asymmetric.DeriveSharedSecret,
  Encrypt: crypto.Encrypt,
  Decrypt: crypto.Decrypt,
  ReEncrypt: crypto.ReEncrypt,
  GenerateDataKey: crypto.GenerateDataKey,
  GenerateDataKeyWithoutPlaintext: crypto.GenerateDataKeyWithoutPlaintext,
  GenerateRandom: crypto.GenerateRandom,
  CreateGrant: grants.CreateGrant,
  ListGrants: grants.ListGrants,
  ListRetirableGrants: grants.ListRetirableGrants,
  RetireGrant: grants.RetireGrant,
  RevokeGrant: grants.RevokeGrant,
  CreateKey: keys.CreateKey,
  DescribeKey: keys.DescribeKey,
  ListKeys: keys.ListKeys,
  UpdateKeyDescription: keys.UpdateKeyDescription,
  EnableKey: keys.EnableKey,
  DisableKey: keys.DisableKey,
  ScheduleKeyDeletion: keys.ScheduleKeyDeletion,
  CancelKeyDeletion: keys.CancelKeyDeletion,
  GetKeyLastUsage: keys.GetKeyLastUsage,
  GetParametersForImport: importing.GetParametersForImport,
  ImportKeyMaterial: importing.ImportKeyMaterial,
  DeleteImportedKeyMaterial: importing.DeleteImportedKeyMaterial,
  GenerateMac: mac.GenerateMac,
  VerifyMac: mac.VerifyMac,
  ReplicateKey: multiRegion.ReplicateKey,
  UpdatePrimaryRegion: multiRegion.UpdatePrimaryRegion,
  GetKeyPolicy: policy.GetKeyPolicy,
  PutKeyPolicy: policy.PutKeyPolicy,
  ListKeyPolicies: policy.ListKeyPolicies,
  EnableKeyRotation: rotation.EnableKeyRotation,
  DisableKeyRotation: rotation.DisableKeyRotation,
  GetKeyRotationStatus: rotation.GetKeyRotationStatus,
  RotateKeyOnDemand: rotation.RotateKeyOnDemand,
  ListKeyRotations: rotation.ListKeyRotations,
  TagResource: tags.TagResource,
  UntagResource: tags.UntagResource,
  ListResourceTags: tags.ListResourceTags,
};

/**
 * Operations that read the state but never change it (keys used, not managed): the standalone server
 * may run them on worker threads that hold a replica of the state.
 */
export const DATA_PLANE: ReadonlySet<string> = new Set<KmsOperationName>([
  'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateRandom', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret', 'GetPublicKey',
]);
