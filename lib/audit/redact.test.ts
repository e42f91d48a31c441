import { describe, expect, it } from 'vitest';
import { looksLikeBase64, REDACTED, redactParams } from './redact';

const blob = Buffer.from('a secret ciphertext blob of some length, 48 bytes').toString('base64');

describe('redactParams', () => {
  it('removes plaintexts, blobs, key material, tokens and passwords by field name, and says where', () => {
    const { params, removed } = redactParams({
      region: 'us-east-1',
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      plaintext: 'hello',
      CiphertextBlob: 'short',
      EncryptedKeyMaterial: 'x',
      ImportToken: 'y',
      password: 'hunter2',
      grantTokens: ['t1'],
      message: 'sign me',
      encryptionContext: { purpose: 'test', session_token: 'abc' },
    });
    expect(params).toEqual({
      region: 'us-east-1',
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      plaintext: REDACTED,
      CiphertextBlob: REDACTED,
      EncryptedKeyMaterial: REDACTED,
      ImportToken: REDACTED,
      password: REDACTED,
      grantTokens: REDACTED,
      message: REDACTED,
      encryptionContext: { purpose: 'test', session_token: REDACTED },
    });
    expect(removed.sort()).toEqual(['CiphertextBlob', 'EncryptedKeyMaterial', 'ImportToken', 'encryptionContext.session_token', 'grantTokens', 'message', 'password', 'plaintext'].sort());
    expect(JSON.stringify(params)).not.toMatch(/hello|hunter2|sign me|"abc"|"t1"/);
  });

  it('removes long base64 and binary values under any name', () => {
    const { params, removed } = redactParams({ note: blob, nested: [{ data: new Uint8Array([1, 2, 3]) }], count: 3, enabled: true });
    expect(params).toEqual({ note: REDACTED, nested: [{ data: REDACTED }], count: 3, enabled: true });
    expect(removed).toEqual(['note', 'nested.0.data']);
  });

  it('keeps key policies, descriptions, aliases, ARNs and tag values, even when a tag value looks like base64', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] });
    const input = {
      region: 'eu-west-1',
      keyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      policy,
      description: 'Orders database',
      aliasName: 'alias/ThisIsAVeryLongAliasName0123456789abcdefXYZ',
      key: 'checksum',
      value: blob,
      bypassLockoutCheck: false,
    };
    const { params, removed } = redactParams(input);
    expect(params).toEqual(input);
    expect(removed).toEqual([]);
  });

  it('tells encoded binary from ids, words and ARNs', () => {
    expect(looksLikeBase64(blob)).toBe(true);
    expect(looksLikeBase64('AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=')).toBe(true);
    expect(looksLikeBase64('1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(false);
    expect(looksLikeBase64('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(false);
    expect(looksLikeBase64('GenerateDataKeyWithoutPlaintext')).toBe(false);
  });
});
