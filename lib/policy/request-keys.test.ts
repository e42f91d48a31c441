import { describe, expect, it } from 'vitest';
import { keyConditionKeys, requestConditionKeys } from './request-keys';

describe('requestConditionKeys: the kms: condition keys of a request (conditions-kms.html)', () => {
  it('takes the members that are condition keys, as sent', () => {
    expect(requestConditionKeys({ KeyId: 'k', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', RotationPeriodInDays: 730 })).toEqual({
      'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256',
      'kms:RotationPeriodInDays': 730,
    });
  });

  it('fills in the default of an omitted parameter, for the API name or the action', () => {
    expect(requestConditionKeys({}, 'Encrypt')).toEqual({ 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' });
    expect(requestConditionKeys({}, 'kms:Decrypt')).toEqual({ 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' });
    expect(requestConditionKeys({}, 'kms:EnableKeyRotation')).toEqual({ 'kms:RotationPeriodInDays': 365 });
    expect(requestConditionKeys({}, 'Sign')).toEqual({ 'kms:MessageType': 'RAW' });
    expect(requestConditionKeys({}, 'Verify')).toEqual({ 'kms:MessageType': 'RAW' });
    expect(requestConditionKeys({}, 'ReEncrypt')).toEqual({ 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' });
    expect(requestConditionKeys({}, 'ScheduleKeyDeletion')).toEqual({ 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 });
    expect(requestConditionKeys({ PendingWindowInDays: 7 }, 'ScheduleKeyDeletion')).toEqual({ 'kms:ScheduleKeyDeletionPendingWindowInDays': 7 });
  });

  it('a value sent wins over the default', () => {
    expect(requestConditionKeys({ EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }, 'Encrypt')).toEqual({ 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_1' });
    expect(requestConditionKeys({ MessageType: 'DIGEST' }, 'Sign')).toEqual({ 'kms:MessageType': 'DIGEST' });
    expect(requestConditionKeys({ RotationPeriodInDays: 90 }, 'EnableKeyRotation')).toEqual({ 'kms:RotationPeriodInDays': 90 });
  });

  it('ReEncrypt with an asymmetric source or destination algorithm gets no guessed default', () => {
    expect(requestConditionKeys({ SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, 'ReEncrypt')).toEqual({});
  });

  it('the data-key operations always use SYMMETRIC_DEFAULT', () => {
    for (const op of ['GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']) {
      expect(requestConditionKeys({}, op)['kms:EncryptionAlgorithm']).toBe('SYMMETRIC_DEFAULT');
    }
    expect(requestConditionKeys({ KeyPairSpec: 'RSA_2048' }, 'GenerateDataKeyPair')).toEqual({ 'kms:DataKeyPairSpec': 'RSA_2048', 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' });
  });

  it('CreateKey describes the key it makes, with the API defaults', () => {
    expect(requestConditionKeys({}, 'CreateKey')).toEqual({ 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT', 'kms:KeyOrigin': 'AWS_KMS', 'kms:MultiRegion': false });
    expect(requestConditionKeys({ KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY', MultiRegion: true }, 'CreateKey')).toEqual({
      'kms:KeySpec': 'RSA_4096',
      'kms:KeyUsage': 'SIGN_VERIFY',
      'kms:KeyOrigin': 'AWS_KMS',
      'kms:MultiRegion': true,
      'kms:MultiRegionKeyType': 'PRIMARY',
    });
    expect(requestConditionKeys({ CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }, 'CreateKey')).toMatchObject({ 'kms:KeySpec': 'ECC_NIST_P256', 'kms:KeyOrigin': 'EXTERNAL' });
  });

  it('leaves BypassPolicyLockoutSafetyCheck and ExpirationModel absent when omitted: the page tests that with "Null": true', () => {
    expect(requestConditionKeys({ KeyId: 'k', Policy: '{}' }, 'PutKeyPolicy')).toEqual({});
    expect(requestConditionKeys({ KeyId: 'k' }, 'ImportKeyMaterial')).toEqual({});
    expect(requestConditionKeys({ BypassPolicyLockoutSafetyCheck: true }, 'PutKeyPolicy')).toEqual({ 'kms:BypassPolicyLockoutSafetyCheck': true });
  });

  it('without an operation, gives only what was sent (no defaults)', () => {
    expect(requestConditionKeys({})).toEqual({});
  });
});

describe('keyConditionKeys', () => {
  it('gives kms:ResourceAliases when the key’s aliases are known, and nothing otherwise', () => {
    expect(keyConditionKeys({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', aliases: ['alias/a', 'alias/b'] })['kms:ResourceAliases']).toEqual(['alias/a', 'alias/b']);
    expect(keyConditionKeys({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' })).not.toHaveProperty('kms:ResourceAliases');
  });
});
