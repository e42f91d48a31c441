import { CreateKeyCommand, GetKeyPolicyCommand, ListKeyPoliciesCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { awsError, testEmulator } from './test-support';

const policy = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const allowRoot = { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

describe('key policies (stored; enforcement comes with the access-control work)', () => {
  it('CreateKey without Policy stores AWS’s default key policy', async () => {
    const { kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId }));
    expect(out.PolicyName).toBe('default');
    expect(JSON.parse(out.Policy!)).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
    });
    expect(await kms.send(new ListKeyPoliciesCommand({ KeyId }))).toMatchObject({ PolicyNames: ['default'], Truncated: false });
  });

  it('stores a given policy at creation and on PutKeyPolicy, exactly as sent', async () => {
    const { kms } = testEmulator();
    const first = policy(allowRoot);
    const { KeyId } = (await kms.send(new CreateKeyCommand({ Policy: first }))).KeyMetadata!;
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy).toBe(first);
    const second = policy({ ...allowRoot, Sid: 'changed' }).replace('{', '{ ');
    await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: second }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(second);
  });

  it('refuses a document that is not a policy with MalformedPolicyDocumentException', async () => {
    const { kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    for (const bad of ['{not json', '[]', '{"Version":"2012-10-17"}', policy({ Effect: 'Maybe', Principal: '*', Action: 'kms:*' }), policy({ Effect: 'Allow', Principal: '*' }), policy({ Effect: 'Allow', Action: 'kms:*' })]) {
      await expect(kms.send(new PutKeyPolicyCommand({ KeyId, Policy: bad }))).rejects.toMatchObject(awsError('MalformedPolicyDocumentException'));
    }
    await expect(kms.send(new CreateKeyCommand({ Policy: '{nope' }))).rejects.toMatchObject(awsError('MalformedPolicyDocumentException'));
  });

  it('refuses a policy over 32 KB with LimitExceededException and a policy name other than default', async () => {
    const { kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const big = policy({ ...allowRoot, Sid: 'x'.repeat(33_000) });
    await expect(kms.send(new PutKeyPolicyCommand({ KeyId, Policy: big }))).rejects.toMatchObject(awsError('LimitExceededException'));
    await expect(kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'other' }))).rejects.toMatchObject(awsError('NotFoundException'));
  });
});
