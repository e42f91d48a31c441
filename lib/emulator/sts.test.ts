import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT, PARTNER_ACCOUNT } from './identities';
import type { Emulator } from './index';
import { Sha256 } from './sha256';
import { awsError, testEmulator } from './test-support';

/** A form-encoded Query request signed for STS, as the AWS CLI sends one. */
async function stsRequest(body: string, { accessKeyId = 'test', secretAccessKey = 'test' } = {}): Promise<Request> {
  const headers: Record<string, string> = { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region: 'us-east-1', service: 'sts', sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', headers, body }));
  return new Request('http://localhost/', { method: 'POST', headers: signed.headers, body });
}

const CONSOLE_ROLE = `arn:aws:iam::${PARTNER_ACCOUNT}:role/keydeck-console`;
const ADMIN = { accessKeyId: 'test', secretAccessKey: 'test' };
const AUDITOR = { accessKeyId: 'AKIAAUDITOR00000001', secretAccessKey: 'auditor-secret' };

/** An SDK request handler that hands signed requests to the emulator in process. */
function inProcess(emulator: Emulator) {
  return {
    handle: async (req: HttpRequest) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
      const query = new URLSearchParams(req.query as Record<string, string>).toString();
      const body = req.body === undefined || req.body === null ? '' : (req.body as string | Uint8Array);
      const res = await emulator.dispatch({ method: req.method, path: query ? `${req.path}?${query}` : req.path, headers, body });
      return { response: new HttpResponse({ statusCode: res.status, headers: res.headers, body: res.body }) };
    },
  };
}

const config = (emulator: Emulator, credentials: AwsCredentialIdentity, region = 'us-east-1') => ({
  region,
  credentials,
  endpoint: 'http://emulator.internal',
  maxAttempts: 1,
  requestHandler: inProcess(emulator),
});
const sts = (emulator: Emulator, credentials: AwsCredentialIdentity) => new STSClient(config(emulator, credentials));
const kms = (emulator: Emulator, credentials: AwsCredentialIdentity, region?: string) => new KMSClient(config(emulator, credentials, region));

async function assume(emulator: Emulator, credentials = ADMIN, RoleArn = CONSOLE_ROLE, extra: { DurationSeconds?: number } = {}): Promise<AwsCredentialIdentity> {
  const { Credentials } = await sts(emulator, credentials).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'keydeck', ...extra }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

describe('STS GetCallerIdentity', () => {
  it('names the IAM user behind the access key', async () => {
    const { emulator } = testEmulator();
    const me = await sts(emulator, ADMIN).send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(DEMO_ACCOUNT);
    expect(me.Arn).toBe(`arn:aws:iam::${DEMO_ACCOUNT}:user/admin`);
    expect(me.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  });

  it('answers in STS XML, signed for service sts', async () => {
    const { emulator } = testEmulator();
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const request = await stsRequest(body);
    const response = await emulator.handle(request);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const xml = await response.text();
    expect(xml).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<GetCallerIdentityResult>/);
    expect(xml).toContain(`<Arn>arn:aws:iam::${DEMO_ACCOUNT}:user/admin</Arn>`);
    expect(xml).toMatch(/<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ResponseMetadata>/);
  });

  it('refuses a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidClientTokenId, in STS XML', async () => {
    const { emulator } = testEmulator();
    await expect(sts(emulator, { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject(awsError('SignatureDoesNotMatch', 403));
    await expect(sts(emulator, { accessKeyId: 'AKIANOBODY000000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject(
      awsError('InvalidClientTokenId', 403),
    );
    const request = await stsRequest('Action=GetCallerIdentity&Version=2011-06-15', { secretAccessKey: 'wrong' });
    const xml = await (await emulator.handle(request)).text();
    expect(xml).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>SignatureDoesNotMatch<\/Code>\s*<Message>The request signature we calculated/,
    );
    expect(xml).toMatch(/<\/Error>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ErrorResponse>/);
  });

  it('refuses an unknown action with InvalidAction', async () => {
    const { emulator } = testEmulator();
    const request = await stsRequest('Action=GetSessionToken&Version=2011-06-15');
    const response = await emulator.handle(request);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });
});

describe('STS AssumeRole', () => {
  it('gives temporary credentials that expire on the emulator clock, for the assumed-role session', async () => {
    const { emulator, now } = testEmulator();
    const out = await sts(emulator, ADMIN).send(new AssumeRoleCommand({ RoleArn: CONSOLE_ROLE, RoleSessionName: 'keydeck', DurationSeconds: 900 }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken).toBeTruthy();
    expect(out.Credentials?.Expiration?.getTime()).toBe(now().getTime() + 900_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PARTNER_ACCOUNT}:assumed-role/keydeck-console/keydeck`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:keydeck$/);
  });

  it('lets the session call KMS, CloudTrail and STS as the role in its account', async () => {
    const { emulator } = testEmulator();
    const session = await assume(emulator);
    const me = await sts(emulator, session).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: PARTNER_ACCOUNT, Arn: `arn:aws:sts::${PARTNER_ACCOUNT}:assumed-role/keydeck-console/keydeck` });
    const created = await kms(emulator, session).send(new CreateKeyCommand({ Description: 'partner key' }));
    expect(created.KeyMetadata?.AWSAccountId).toBe(PARTNER_ACCOUNT);
    // The demo account does not see the partner's key.
    const demoKeys = await kms(emulator, ADMIN).send(new ListKeysCommand({}));
    expect(demoKeys.Keys?.map((k) => k.KeyId)).not.toContain(created.KeyMetadata?.KeyId);
    const trail = new CloudTrailClient(config(emulator, session));
    const { Events = [] } = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }));
    expect(JSON.parse(Events[0].CloudTrailEvent!).userIdentity.arn).toBe(`arn:aws:sts::${PARTNER_ACCOUNT}:assumed-role/keydeck-console/keydeck`);
  });

  it('evaluates key policies against the role ARN, as AWS does', async () => {
    const { emulator } = testEmulator();
    const session = await assume(emulator);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'NotTheConsole', Effect: 'Deny', Principal: { AWS: CONSOLE_ROLE }, Action: 'kms:DescribeKey', Resource: '*' },
      ],
    });
    const partnerAdmin = { accessKeyId: 'partner', secretAccessKey: 'partner' };
    const key = await kms(emulator, partnerAdmin).send(new CreateKeyCommand({ Policy: policy }));
    await expect(kms(emulator, partnerAdmin).send(new DescribeKeyCommand({ KeyId: key.KeyMetadata!.KeyId }))).resolves.toBeTruthy();
    await expect(kms(emulator, session).send(new DescribeKeyCommand({ KeyId: key.KeyMetadata!.KeyId }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`User: arn:aws:sts::${PARTNER_ACCOUNT}:assumed-role/keydeck-console/keydeck is not authorized to perform: kms:DescribeKey`),
    });
  });

  it('refuses a caller whose IAM policies do not allow sts:AssumeRole, with AccessDenied', async () => {
    const { emulator } = testEmulator();
    await expect(sts(emulator, AUDITOR).send(new AssumeRoleCommand({ RoleArn: CONSOLE_ROLE, RoleSessionName: 'keydeck' }))).rejects.toMatchObject({
      ...awsError('AccessDenied', 403),
      message: `User: arn:aws:iam::${DEMO_ACCOUNT}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${CONSOLE_ROLE}`,
    });
  });

  it("refuses a caller the role's trust list does not name, and a role that does not exist", async () => {
    const { emulator } = testEmulator();
    const partnerAdmin = { accessKeyId: 'partner', secretAccessKey: 'partner' };
    await expect(
      sts(emulator, partnerAdmin).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/security-admin`, RoleSessionName: 'x1' })),
    ).rejects.toMatchObject(awsError('AccessDenied', 403));
    await expect(sts(emulator, ADMIN).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/nobody`, RoleSessionName: 'x1' }))).rejects.toMatchObject(
      awsError('AccessDenied', 403),
    );
  });

  it('gives same-account sessions the role policies: security-admin manages keys but cannot use them', async () => {
    const { emulator } = testEmulator();
    const session = await assume(emulator, ADMIN, `arn:aws:iam::${DEMO_ACCOUNT}:role/security-admin`);
    const client = kms(emulator, session);
    const key = await client.send(new CreateKeyCommand({}));
    const { EncryptCommand } = await import('@aws-sdk/client-kms');
    await expect(client.send(new EncryptCommand({ KeyId: key.KeyMetadata!.KeyId, Plaintext: new Uint8Array([1]) }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('validates the session name and the duration in STS words', async () => {
    const { emulator } = testEmulator();
    await expect(sts(emulator, ADMIN).send(new AssumeRoleCommand({ RoleArn: CONSOLE_ROLE, RoleSessionName: 'bad name' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    });
    await expect(
      sts(emulator, ADMIN).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEMO_ACCOUNT}:role/app`, RoleSessionName: 'app', DurationSeconds: 7200 })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
  });

  it('refuses expired session credentials: ExpiredTokenException in KMS, ExpiredToken in STS', async () => {
    const { emulator, advance } = testEmulator();
    const session = await assume(emulator, ADMIN, CONSOLE_ROLE, { DurationSeconds: 900 });
    await expect(kms(emulator, session).send(new ListKeysCommand({}))).resolves.toBeTruthy();
    advance(900_000);
    await expect(kms(emulator, session).send(new ListKeysCommand({}))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    await expect(sts(emulator, session).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
  });

  it('refuses a tampered or missing session token', async () => {
    const { emulator } = testEmulator();
    const session = await assume(emulator);
    const [prefix, payload, mac] = session.sessionToken!.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { e: number };
    const forged = `${prefix}.${Buffer.from(JSON.stringify({ ...claims, e: claims.e + 86_400_000 })).toString('base64url')}.${mac}`;
    await expect(kms(emulator, { ...session, sessionToken: forged }).send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(kms(emulator, { ...session, sessionToken: undefined }).send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(sts(emulator, { ...session, sessionToken: forged }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject(awsError('InvalidClientTokenId', 403));
  });

  it('sessions are accepted by another emulator with the same identities (a data-plane worker)', async () => {
    const first = testEmulator();
    const second = testEmulator({ replica: true });
    const session = await assume(first.emulator);
    const me = await sts(second.emulator, session).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${PARTNER_ACCOUNT}:assumed-role/keydeck-console/keydeck`);
  });
});
