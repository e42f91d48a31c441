import { describe, expect, it } from 'vitest';
import { toUsageEvent, userAgentFamily } from './event';
import { TokenBucket } from './token-bucket';

const scope = { account: '111122223333', region: 'us-east-1' };
const event = (record: object, name = 'Encrypt') => ({ EventId: 'e1', EventName: name, EventTime: new Date('2026-11-23T10:00:05.700Z'), CloudTrailEvent: JSON.stringify(record) });

describe('a CloudTrail event as a usage event', () => {
  it('keys an assumed role on its role, not the session, and keeps the error code and key ARN', () => {
    const e = toUsageEvent(
      event({
        userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/app/session-9', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/app' } } },
        errorCode: 'AccessDenied',
        userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
        requestParameters: { keyId: 'alias/x' },
        resources: [{ type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:111122223333:key/k' }],
      }),
      scope,
    );
    expect(e).toMatchObject({ time: Date.parse('2026-11-23T10:00:05Z') / 1000, principal: 'arn:aws:iam::111122223333:role/app', errorCode: 'AccessDenied', userAgentFamily: 'aws-cli', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k', quotaClass: 'symmetric', requestClass: 'symmetric' });
  });

  it('classifies asymmetric calls and data key pairs for quotas and prices', () => {
    const cls = (name: string, requestParameters: object) => {
      const { quotaClass, requestClass } = toUsageEvent(event({ requestParameters }, name), scope);
      return [quotaClass, requestClass];
    };
    expect(cls('Encrypt', { encryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).toEqual(['rsa', 'asymmetric']);
    expect(cls('Sign', { signingAlgorithm: 'ECDSA_SHA_256' })).toEqual(['ecc', 'asymmetric']);
    expect(cls('Sign', { signingAlgorithm: 'ML_DSA_SHAKE_256' })).toEqual(['ml-dsa', 'asymmetric']);
    expect(cls('GenerateDataKeyPair', { keyPairSpec: 'RSA_2048' })).toEqual(['rsa', 'gdkp-rsa']);
    expect(cls('GenerateDataKeyPairWithoutPlaintext', { keyPairSpec: 'ECC_NIST_P384' })).toEqual(['ecc', 'gdkp-ecc']);
    expect(cls('GenerateMac', { macAlgorithm: 'HMAC_SHA_256' })).toEqual(['symmetric', 'symmetric']);
    expect(cls('DescribeKey', {})).toEqual(['other', 'symmetric']);
  });

  it('names user agent families without versions', () => {
    expect(userAgentFamily('Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux')).toBe('boto3');
    expect(userAgentFamily('aws-sdk-js/3.1164.0 ua/2.1 os/linux api/kms#3.1164.0')).toBe('aws-sdk-js');
    expect(userAgentFamily('s3.amazonaws.com')).toBe('aws-service');
    expect(userAgentFamily('')).toBe('unknown');
  });
});

describe('the token bucket', () => {
  it('lets a burst of its capacity through, then paces takes to its rate', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 2, now: () => now, sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    } });
    for (let i = 0; i < 6; i++) await bucket.take();
    // Two at once, then one every 500 ms: 4 more takes need 2 s.
    expect(waits).toEqual([500, 500, 500, 500]);
    expect(now).toBe(2000);
  });
});
