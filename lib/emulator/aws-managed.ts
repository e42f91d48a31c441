/**
 * AWS managed keys (aws/ebs, aws/s3 …) as AWS creates them for an account: KeyManager AWS, rotated
 * every year, and a key policy the customer cannot change — so PutKeyPolicy, DisableKey,
 * ScheduleKeyDeletion or EnableKeyRotation are refused with AccessDeniedException, and the key is
 * usable only through its service (kms:ViaService), exactly as in AWS.
 */
import crypto from 'node:crypto';
import { generateMaterial } from './key-material';
import { DAY, keyArn } from './operations/context';
import { newMaterialId } from './operations/keys';
import type { Store } from './store';

/** alias/aws/<name> → the service endpoint prefix that uses it and what AWS's description calls it. */
export const AWS_MANAGED_KEYS = {
  ebs: { via: 'ec2', label: 'EBS' },
  s3: { via: 's3', label: 'S3' },
  rds: { via: 'rds', label: 'RDS database' },
  ssm: { via: 'ssm', label: 'SSM Parameter Store' },
  lambda: { via: 'lambda', label: 'Lambda functions' },
  secretsmanager: { via: 'secretsmanager', label: 'Secrets Manager secrets' },
} as const;
export type AwsManagedKeyName = keyof typeof AWS_MANAGED_KEYS;

/** The key policy AWS gives an AWS managed key (key-policy-default.html, "AWS managed keys"). */
export function awsManagedKeyPolicy(account: string, region: string, name: AwsManagedKeyName): string {
  const { via, label } = AWS_MANAGED_KEYS[name];
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${name}-2`,
      Statement: [
        {
          Sid: `Allow access through ${label} for all principals in the account that are authorized to use ${label}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${via}.${region}.amazonaws.com` } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/** Creates the account's AWS managed keys in `region` that do not exist yet; returns how many it made. */
export function createAwsManagedKeys(store: Store, account: string, region: string, now: number): number {
  let made = 0;
  for (const name of Object.keys(AWS_MANAGED_KEYS) as AwsManagedKeyName[]) {
    const aliasName = `alias/aws/${name}`;
    if (store.alias(region, account, aliasName)) continue;
    const keyId = crypto.randomUUID();
    store.putKey({
      seq: store.nextSeq(),
      keyId,
      account,
      region,
      arn: keyArn(region, account, keyId),
      createdAt: now,
      description: `Default key that protects my ${AWS_MANAGED_KEYS[name].label} when no other key is defined`,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      keyManager: 'AWS',
      keyState: 'Enabled',
      multiRegion: false,
      policy: awsManagedKeyPolicy(account, region, name),
      tags: [],
      // AWS rotates AWS managed keys every year; the customer cannot change that.
      rotation: { enabled: true, periodInDays: 365, nextRotationDate: now + 365 * DAY },
      materials: [{ id: newMaterialId(), material: generateMaterial('SYMMETRIC_DEFAULT'), createdAt: now }],
    });
    store.putAlias({ seq: store.nextSeq(), account, region, name: aliasName, targetKeyId: keyId, createdAt: now, updatedAt: now });
    made++;
  }
  return made;
}
