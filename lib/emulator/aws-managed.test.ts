import {
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { AWS_MANAGED_KEYS } from './aws-managed';
import { DEMO_ACCOUNT } from './identities';
import { awsError, bytes, testEmulator } from './test-support';

async function managed() {
  const t = testEmulator();
  expect(t.emulator.createAwsManagedKeys(DEMO_ACCOUNT, 'us-east-1')).toBe(Object.keys(AWS_MANAGED_KEYS).length);
  const { KeyMetadata } = await t.kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }));
  return { ...t, key: KeyMetadata! };
}

describe('AWS managed keys', () => {
  it('exist once per region with aws/ aliases, KeyManager AWS and yearly rotation', async () => {
    const { emulator, kms, key } = await managed();
    expect(emulator.createAwsManagedKeys(DEMO_ACCOUNT, 'us-east-1')).toBe(0);
    const { Aliases } = await kms.send(new ListAliasesCommand({}));
    expect(Aliases!.map((a) => a.AliasName).sort()).toEqual(Object.keys(AWS_MANAGED_KEYS).map((n) => `alias/aws/${n}`).sort());
    expect(key).toMatchObject({ KeyManager: 'AWS', KeySpec: 'SYMMETRIC_DEFAULT', Description: 'Default key that protects my EBS when no other key is defined' });
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.KeyId }))).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }))).Policy!);
    expect(policy.Statement[0].Condition.StringEquals['kms:ViaService']).toBe('ec2.us-east-1.amazonaws.com');
  });

  it('cannot be changed by the customer, even an administrator: AccessDeniedException', async () => {
    const { kms, key } = await managed();
    const KeyId = key.KeyId;
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId, Policy: '{"Version":"2012-10-17","Statement":[]}' }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await expect(kms.send(new DisableKeyCommand({ KeyId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await expect(kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 90 }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('is usable only through its service, not directly', async () => {
    const { kms } = await managed();
    await expect(kms.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });
});
