import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  GenerateDataKeyCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  VerifyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { createHash } from 'node:crypto';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITIES, DEMO_ACCOUNT, PARTNER_ACCOUNT } from './identities';
import { awsError, bytes, signedRequest, testEmulator } from './test-support';

const as = (name: string) => {
  const identity = DEFAULT_IDENTITIES.find((i) => i.arn.includes(name))!;
  return { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, arn: identity.arn };
};
const ROOT = `arn:aws:iam::${DEMO_ACCOUNT}:root`;
const APP_ROLE = `arn:aws:iam::${DEMO_ACCOUNT}:role/app`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowRoot = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

function clients() {
  const t = testEmulator();
  const client = (name: string, region?: string): KMSClient => t.emulator.kmsClient({ ...as(name), region });
  return { ...t, admin: t.kms, client };
}

describe('identities and IAM policies (default key policy: the account root delegates to IAM)', () => {
  it('lets the auditor read but not use keys, with AWS’s AccessDeniedException message', async () => {
    const { admin, client } = clients();
    const { KeyId, Arn } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const auditor = client('user/auditor');
    await expect(auditor.send(new DescribeKeyCommand({ KeyId }))).resolves.toBeDefined();
    await expect(auditor.send(new ListKeysCommand({}))).resolves.toBeDefined();
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject({
      ...awsError('AccessDeniedException'),
      message: `User: ${as('user/auditor').arn} is not authorized to perform: kms:Encrypt on resource: ${Arn} because no identity-based policy allows the kms:Encrypt action`,
    });
  });

  it('lets the application role use keys but not create or delete them', async () => {
    const { admin, client } = clients();
    const { KeyId } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const app = client('assumed-role/app');
    const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await expect(app.send(new DecryptCommand({ CiphertextBlob }))).resolves.toMatchObject({ Plaintext: bytes('x') });
    await expect(app.send(new CreateKeyCommand({}))).rejects.toMatchObject(awsError('AccessDeniedException'));
    await expect(app.send(new ScheduleKeyDeletionCommand({ KeyId }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('lets the security administrator manage keys but not use them', async () => {
    const { client } = clients();
    const secAdmin = client('assumed-role/security-admin');
    const { KeyId } = (await secAdmin.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expect(secAdmin.send(new GetKeyPolicyCommand({ KeyId }))).resolves.toBeDefined();
    await expect(secAdmin.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });
});

describe('key policies decide', () => {
  it('a key policy that names only the application role keeps even an administrator out', async () => {
    const { admin, client } = clients();
    const only = policy({ Sid: 'App', Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });
    const { KeyId, Arn } = (await admin.send(new CreateKeyCommand({ Policy: only, BypassPolicyLockoutSafetyCheck: true }))).KeyMetadata!;
    await expect(admin.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: ${as('user/admin').arn} is not authorized to perform: kms:Encrypt on resource: ${Arn} because no resource-based policy allows the kms:Encrypt action`,
    });
    await expect(client('assumed-role/app').send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
  });

  it('an explicit Deny wins over every Allow', async () => {
    const { admin } = clients();
    const denyDecrypt = policy(allowRoot, { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' });
    const { KeyId } = (await admin.send(new CreateKeyCommand({ Policy: denyDecrypt }))).KeyMetadata!;
    const { CiphertextBlob } = await admin.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await expect(admin.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(/with an explicit deny in a resource-based policy$/),
    });
  });

  it('a key-policy statement with an encryption-context condition lets a user without IAM permission decrypt only matching ciphertexts', async () => {
    const { admin, client } = clients();
    const { KeyId } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const auditorArn = as('user/auditor').arn;
    await admin.send(
      new PutKeyPolicyCommand({
        KeyId,
        Policy: policy(allowRoot, { Sid: 'AuditorRestores', Effect: 'Allow', Principal: { AWS: auditorArn }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'audit' } } }),
      }),
    );
    const audit = await admin.send(new EncryptCommand({ KeyId, Plaintext: bytes('a'), EncryptionContext: { purpose: 'audit' } }));
    const other = await admin.send(new EncryptCommand({ KeyId, Plaintext: bytes('o'), EncryptionContext: { purpose: 'other' } }));
    const auditor = client('user/auditor');
    await expect(auditor.send(new DecryptCommand({ CiphertextBlob: audit.CiphertextBlob, EncryptionContext: { purpose: 'audit' } }))).resolves.toBeDefined();
    await expect(auditor.send(new DecryptCommand({ CiphertextBlob: other.CiphertextBlob, EncryptionContext: { purpose: 'other' } }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('kms:RequestAlias restricts use to requests that name the key by an alias', async () => {
    const { admin, client } = clients();
    const { KeyId } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    await admin.send(new CreateAliasCommand({ AliasName: 'alias/reports', TargetKeyId: KeyId }));
    await admin.send(
      new PutKeyPolicyCommand({
        KeyId,
        Policy: policy(allowRoot, { Sid: 'AuditorViaAlias', Effect: 'Allow', Principal: { AWS: as('user/auditor').arn }, Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/reports' } } }),
      }),
    );
    const auditor = client('user/auditor');
    await expect(auditor.send(new EncryptCommand({ KeyId: 'alias/reports', Plaintext: bytes('x') }))).resolves.toBeDefined();
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination', async () => {
    const { admin, client } = clients();
    const auditorArn = as('user/auditor').arn;
    const source = (await admin.send(new CreateKeyCommand({ Policy: policy(allowRoot, { Sid: 'From', Effect: 'Allow', Principal: { AWS: auditorArn }, Action: 'kms:ReEncryptFrom', Resource: '*' }) }))).KeyMetadata!;
    const destination = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const { CiphertextBlob } = await admin.send(new EncryptCommand({ KeyId: source.KeyId, Plaintext: bytes('x') }));
    const auditor = client('user/auditor');
    await expect(auditor.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination.KeyId }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`kms:ReEncryptTo on resource: ${destination.Arn}`),
    });
    await admin.send(new PutKeyPolicyCommand({ KeyId: destination.KeyId, Policy: policy(allowRoot, { Sid: 'To', Effect: 'Allow', Principal: { AWS: auditorArn }, Action: 'kms:ReEncryptTo', Resource: '*' }) }));
    await expect(auditor.send(new ReEncryptCommand({ CiphertextBlob, DestinationKeyId: destination.KeyId }))).resolves.toBeDefined();
  });
});

describe('cross-account use', () => {
  it('needs the key policy to name the other account, and that account’s IAM to allow', async () => {
    const { admin, client } = clients();
    const { KeyId, Arn } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const partner = client('444455556666:user/admin');
    await expect(partner.send(new EncryptCommand({ KeyId: Arn, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    // A key id alone means a key of the caller's own account.
    await expect(partner.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('NotFoundException'));
    const shared = policy(allowRoot, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });
    await admin.send(new PutKeyPolicyCommand({ KeyId, Policy: shared }));
    const { CiphertextBlob } = await partner.send(new EncryptCommand({ KeyId: Arn, Plaintext: bytes('shared') }));
    await expect(admin.send(new DecryptCommand({ CiphertextBlob }))).resolves.toMatchObject({ Plaintext: bytes('shared') });
    await expect(partner.send(new DescribeKeyCommand({ KeyId: Arn }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });
});

describe('the policy lockout safety check', () => {
  it('refuses a policy that would lock the caller out of PutKeyPolicy, unless bypassed', async () => {
    const { admin } = clients();
    const { KeyId } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const lockout = policy({ Sid: 'AppOnly', Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: 'kms:Encrypt', Resource: '*' });
    await expect(admin.send(new PutKeyPolicyCommand({ KeyId, Policy: lockout }))).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'The new key policy will not allow you to update the key policy in the future.',
    });
    await expect(admin.send(new CreateKeyCommand({ Policy: lockout }))).rejects.toMatchObject(awsError('MalformedPolicyDocumentException'));
    await admin.send(new PutKeyPolicyCommand({ KeyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }));
    await expect(admin.send(new PutKeyPolicyCommand({ KeyId, Policy: policy(allowRoot) }))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('reports where a malformed policy is wrong', async () => {
    const { admin } = clients();
    const { KeyId } = (await admin.send(new CreateKeyCommand({}))).KeyMetadata!;
    const bad = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Maybe", "Principal": "*", "Action": "kms:*", "Resource": "*" }]\n}';
    await expect(admin.send(new PutKeyPolicyCommand({ KeyId, Policy: bad }))).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: expect.stringMatching(/line 3, column \d+/),
    });
  });
});

describe('enforceAccess: false (trust the credential scope)', () => {
  it('accepts any signature for a known access key and evaluates no policy', async () => {
    const { createEmulator } = await import('./index');
    const { signedRequest } = await import('./test-support');
    const emulator = createEmulator({ enforceAccess: false });
    const created = await emulator.handle(await signedRequest('TrentService.CreateKey', '{}', { secretAccessKey: 'made-up' }));
    expect(created.status).toBe(200);
    const { KeyMetadata } = await created.json();
    const auditor = as('user/auditor');
    const body = JSON.stringify({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x').toString('base64') });
    const encrypted = await emulator.handle(await signedRequest('TrentService.Encrypt', body, { accessKeyId: auditor.accessKeyId, secretAccessKey: 'wrong' }));
    expect(encrypted.status).toBe(200);
    const stranger = await emulator.handle(await signedRequest('TrentService.ListKeys', '{}', { accessKeyId: 'AKIAUNKNOWN' }));
    expect((await stranger.json()).__type).toBe('UnrecognizedClientException');
  });
});

describe('calls from and through AWS services, and the client address', () => {
  const ALICE = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;
  const admin = DEFAULT_IDENTITIES[0];
  const alice = { accountId: DEMO_ACCOUNT, arn: ALICE, accessKeyId: 'AKIAALICE', secretAccessKey: 'alice-secret', policies: [], description: 'alice' };
  const aliceViaEc2 = { ...alice, accessKeyId: 'AKIAALICEVIAEC2', viaService: 'ec2.us-east-1.amazonaws.com', description: 'alice through EC2' };
  const logs = { accountId: DEMO_ACCOUNT, arn: 'logs.us-east-1.amazonaws.com', accessKeyId: 'AKIALOGS', secretAccessKey: 'logs-secret', policies: [policy({ Effect: 'Allow', Action: '*', Resource: '*' })], description: 'CloudWatch Logs', service: 'logs.us-east-1.amazonaws.com' };
  const world = () => testEmulator({ identities: [admin, alice, aliceViaEc2, logs] });
  const keyWith = async (t: ReturnType<typeof world>, ...statements: object[]) => {
    const { KeyId } = (await t.kms.send(new CreateKeyCommand({ Policy: policy(allowRoot, ...statements), BypassPolicyLockoutSafetyCheck: true }))).KeyMetadata!;
    return KeyId!;
  };
  const clientOf = (t: ReturnType<typeof world>, i: { accessKeyId: string; secretAccessKey: string }) => t.emulator.kmsClient({ accessKeyId: i.accessKeyId, secretAccessKey: i.secretAccessKey });

  it('a request through a service carries kms:ViaService; a direct one does not', async () => {
    const t = world();
    const KeyId = await keyWith(t, { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } } });
    await expect(clientOf(t, aliceViaEc2).send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
    await expect(clientOf(t, alice).send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    const { Events } = await t.emulator.cloudTrailClient().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }] }));
    const identities = Events!.map((e) => JSON.parse(e.CloudTrailEvent!).userIdentity as { arn: string; invokedBy?: string });
    expect(identities).toEqual(expect.arrayContaining([expect.objectContaining({ arn: ALICE, invokedBy: 'ec2.us-east-1.amazonaws.com' })]));
    expect(identities.filter((i) => i.invokedBy === undefined)).toHaveLength(1);
  });

  it('kms:GrantIsForAWSResource is true only for CreateGrant through a service', async () => {
    const t = world();
    const KeyId = await keyWith(t, { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    const grant = { KeyId, GranteePrincipal: APP_ROLE, Operations: ['Decrypt' as const] };
    await expect(clientOf(t, aliceViaEc2).send(new CreateGrantCommand(grant))).resolves.toMatchObject({ GrantId: expect.any(String) });
    await expect(clientOf(t, alice).send(new CreateGrantCommand(grant))).rejects.toMatchObject(awsError('AccessDeniedException'));
  });

  it('a service principal is allowed by a key policy naming it, and never by IAM policies', async () => {
    const t = world();
    const named = await keyWith(t, { Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' });
    const unnamed = await keyWith(t);
    const service = clientOf(t, logs);
    await expect(service.send(new GenerateDataKeyCommand({ KeyId: named, KeySpec: 'AES_256' }))).resolves.toBeDefined();
    // The account principal covers the account's IAM identities, not AWS services, whatever IAM policy the credentials carry.
    await expect(service.send(new GenerateDataKeyCommand({ KeyId: unnamed, KeySpec: 'AES_256' }))).rejects.toMatchObject(awsError('AccessDeniedException'));
    const { Events } = await t.emulator.cloudTrailClient().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }] }));
    expect(JSON.parse(Events![0].CloudTrailEvent!).userIdentity).toEqual({ type: 'AWSService', invokedBy: 'logs.us-east-1.amazonaws.com' });
  });

  it('aws:SourceIp is the address the host gives handle(), and absent without one', async () => {
    const t = world();
    const KeyId = await keyWith(t, { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    const body = JSON.stringify({ KeyId, Plaintext: Buffer.from('x').toString('base64') });
    const sign = () => signedRequest('TrentService.Encrypt', body, { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey });
    expect((await t.emulator.handle(await sign(), { sourceIp: '203.0.113.7' })).status).toBe(200);
    expect((await t.emulator.handle(await sign(), { sourceIp: '198.51.100.1' })).status).toBe(400);
    expect((await t.emulator.handle(await sign())).status).toBe(400);
  });
});

describe('request parameters KMS tests with their defaults when omitted (conditions-kms.html)', () => {
  const ALICE = `arn:aws:iam::${DEMO_ACCOUNT}:user/alice`;
  const admin = DEFAULT_IDENTITIES[0];
  const iam = (condition: object) => policy({ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: condition });
  const creator = (accessKeyId: string, condition: object) => ({ accountId: DEMO_ACCOUNT, arn: ALICE, accessKeyId, secretAccessKey: `${accessKeyId}-secret`, policies: [iam(condition)], description: 'alice' });
  const rsaOnly = creator('AKIARSAONLY', { StringLike: { 'kms:KeySpec': 'RSA_*' } });
  const symmetricOnly = creator('AKIASYMONLY', { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT', 'kms:KeyOrigin': 'AWS_KMS' } });
  const importOnly = creator('AKIAIMPORTONLY', { StringEquals: { 'kms:KeyOrigin': 'EXTERNAL' } });
  const signingOnly = creator('AKIASIGNONLY', { StringEquals: { 'kms:KeyUsage': 'SIGN_VERIFY' } });
  const singleRegionOnly = creator('AKIASINGLEREGION', { Bool: { 'kms:MultiRegion': 'false' } });
  const world = () => testEmulator({ identities: [admin, rsaOnly, symmetricOnly, importOnly, signingOnly, singleRegionOnly] });
  const clientOf = (t: ReturnType<typeof world>, i: { accessKeyId: string; secretAccessKey: string }) => t.emulator.kmsClient({ accessKeyId: i.accessKeyId, secretAccessKey: i.secretAccessKey });
  // The creator's IAM policy allows only CreateKey; the new key's default policy lets the account's IAM decide the rest.
  const denied = awsError('AccessDeniedException');

  it('CreateKey carries kms:KeySpec from the request: an IAM policy allowing only RSA_* keys', async () => {
    const t = world();
    const rsa = clientOf(t, rsaOnly);
    await expect(rsa.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).resolves.toMatchObject({ KeyMetadata: { KeySpec: 'RSA_2048' } });
    await expect(rsa.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).rejects.toMatchObject(denied);
    // No KeySpec: the default, SYMMETRIC_DEFAULT, is what the policy sees.
    await expect(rsa.send(new CreateKeyCommand({}))).rejects.toMatchObject(denied);
  });

  it('CreateKey without KeySpec, KeyUsage and Origin is tested as SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT and AWS_KMS', async () => {
    const t = world();
    const symmetric = clientOf(t, symmetricOnly);
    await expect(symmetric.send(new CreateKeyCommand({}))).resolves.toMatchObject({ KeyMetadata: { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS' } });
    await expect(symmetric.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS' }))).resolves.toBeDefined();
    await expect(symmetric.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).rejects.toMatchObject(denied);
    await expect(symmetric.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).rejects.toMatchObject(denied);
  });

  it('CreateKey carries kms:KeyOrigin and kms:KeyUsage from the request', async () => {
    const t = world();
    await expect(clientOf(t, importOnly).send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).resolves.toMatchObject({ KeyMetadata: { Origin: 'EXTERNAL', KeyState: 'PendingImport' } });
    await expect(clientOf(t, importOnly).send(new CreateKeyCommand({}))).rejects.toMatchObject(denied);
    await expect(clientOf(t, signingOnly).send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }))).resolves.toBeDefined();
    await expect(clientOf(t, signingOnly).send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).rejects.toMatchObject(denied);
  });

  it('CreateKey without MultiRegion is a single-Region key for kms:MultiRegion', async () => {
    const t = world();
    const single = clientOf(t, singleRegionOnly);
    await expect(single.send(new CreateKeyCommand({}))).resolves.toMatchObject({ KeyMetadata: { MultiRegion: false } });
    await expect(single.send(new CreateKeyCommand({ MultiRegion: true }))).rejects.toMatchObject(denied);
  });

  it('Sign and Verify without MessageType are tested as RAW, the default', async () => {
    const t = world();
    const rawOnly = { Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['kms:Sign', 'kms:Verify'], Resource: '*', Condition: { StringEquals: { 'kms:MessageType': 'RAW' } } };
    const { KeyId } = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Policy: policy(allowRoot, rawOnly), BypassPolicyLockoutSafetyCheck: true }))).KeyMetadata!;
    // alice has no IAM permission of her own for Sign: only the key policy's RAW-only statement lets her in.
    const alice = clientOf(t, signingOnly);
    const { Signature } = await alice.send(new SignCommand({ KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    await expect(alice.send(new VerifyCommand({ KeyId, Message: bytes('m'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).resolves.toMatchObject({ SignatureValid: true });
    const digest = new Uint8Array(createHash('sha256').update('m').digest());
    await expect(alice.send(new SignCommand({ KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }))).rejects.toMatchObject(denied);
  });
});

// Authorization works out once which statements of a policy can apply to a caller and an action; none of that may
// outlive the policy, grant or IAM policy it came from.
describe('a change to who may use a key applies from the very next request', () => {
  const BOB = `arn:aws:iam::${DEMO_ACCOUNT}:user/bob`;
  const admin = DEFAULT_IDENTITIES[0];
  const world = (bobPolicies: string[] = []) => {
    const bob = { accountId: DEMO_ACCOUNT, arn: BOB, accessKeyId: 'AKIABOB', secretAccessKey: 'bob-secret', policies: bobPolicies, description: 'bob' };
    const t = testEmulator({ identities: [admin, bob] });
    return { ...t, bob, asBob: t.emulator.kmsClient({ accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey }) };
  };
  const encryptTwice = async (kms: KMSClient, KeyId: string) => {
    for (let i = 0; i < 2; i++) await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
  };
  const denied = awsError('AccessDeniedException');

  it('PutKeyPolicy: a statement taken out refuses, one put in allows', async () => {
    const t = world();
    const bobMay = { Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:Encrypt', Resource: '*' };
    const { KeyId } = (await t.kms.send(new CreateKeyCommand({ Policy: policy(allowRoot, bobMay) }))).KeyMetadata!;
    await encryptTwice(t.asBob, KeyId!);
    await t.kms.send(new PutKeyPolicyCommand({ KeyId, Policy: policy(allowRoot) }));
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(denied);
    await t.kms.send(new PutKeyPolicyCommand({ KeyId, Policy: policy(allowRoot, { ...bobMay, Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } } }) }));
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(denied);
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext: { app: 'billing' } }))).resolves.toBeDefined();
    await t.kms.send(new PutKeyPolicyCommand({ KeyId, Policy: policy(allowRoot, bobMay, { Effect: 'Deny', Principal: { AWS: BOB }, Action: 'kms:*', Resource: '*' }) }));
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(denied);
  });

  it('RevokeGrant: the grant that allowed the request before does not any more', async () => {
    const t = world();
    const { KeyId } = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(denied);
    const { GrantId } = await t.kms.send(new CreateGrantCommand({ KeyId, GranteePrincipal: BOB, Operations: ['Encrypt'] }));
    await encryptTwice(t.asBob, KeyId!);
    await t.kms.send(new RevokeGrantCommand({ KeyId, GrantId }));
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(denied);
  });

  it("the caller's IAM policies: new ones replace the old on the next request", async () => {
    const t = world([policy({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' })]);
    const { KeyId } = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await encryptTwice(t.asBob, KeyId!);
    t.bob.policies = [policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })];
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject(denied);
    t.bob.policies = [policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }), policy({ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'payroll' } } })];
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).resolves.toBeDefined();
    await expect(t.asBob.send(new EncryptCommand({ KeyId, Plaintext: bytes('x'), EncryptionContext: { app: 'payroll' } }))).rejects.toMatchObject(denied);
  });
});
