import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { createEmulator } from './index';
import { DEFAULT_IDENTITIES, PARTNER_ACCOUNT } from './identities';
import { DAY, bytes, testEmulator } from './test-support';

const identity = (name: string) => DEFAULT_IDENTITIES.find((i) => i.arn.includes(name))!;
const as = (name: string) => ({ accessKeyId: identity(name).accessKeyId, secretAccessKey: identity(name).secretAccessKey });
const records = async (trail: CloudTrailClient, input: ConstructorParameters<typeof LookupEventsCommand>[0] = {}) =>
  ((await trail.send(new LookupEventsCommand(input))).Events ?? []).map((e) => ({ ...e, record: JSON.parse(e.CloudTrailEvent!) }));

describe('CloudTrail events of KMS calls', () => {
  it('records an allowed Encrypt with AWS’s record shape and never the plaintext', async () => {
    const { emulator, kms, now } = testEmulator();
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({ Description: 'trail' }))).KeyMetadata!;
    await kms.send(new EncryptCommand({ KeyId, Plaintext: bytes('top-secret-plaintext'), EncryptionContext: { app: 'billing' } }));
    const [encrypt, create] = await records(emulator.cloudTrailClient());
    expect(encrypt).toMatchObject({ EventName: 'Encrypt', EventSource: 'kms.amazonaws.com', ReadOnly: 'true', AccessKeyId: 'test', Username: 'admin', EventTime: now(), Resources: [{ ResourceType: 'AWS::KMS::Key', ResourceName: Arn }] });
    expect(encrypt.record).toMatchObject({
      eventVersion: expect.any(String),
      userIdentity: { type: 'IAMUser', arn: identity('user/admin').arn, accountId: '111122223333', accessKeyId: 'test', userName: 'admin' },
      eventTime: now().toISOString().replace('.000Z', 'Z'),
      eventSource: 'kms.amazonaws.com',
      eventName: 'Encrypt',
      awsRegion: 'us-east-1',
      requestParameters: { keyId: KeyId, encryptionContext: { app: 'billing' } },
      responseElements: null,
      requestID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventID: encrypt.EventId,
      readOnly: true,
      resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: Arn }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
    });
    expect(encrypt.CloudTrailEvent).not.toContain('top-secret');
    expect(encrypt.CloudTrailEvent).not.toContain(Buffer.from('top-secret-plaintext').toString('base64'));
    expect(create.record).toMatchObject({ eventName: 'CreateKey', readOnly: false, requestParameters: { description: 'trail' }, responseElements: { keyMetadata: { keyId: KeyId } } });
  });

  it('records a refused call with its error, and an assumed-role caller as AssumedRole', async () => {
    const { emulator, kms } = testEmulator();
    const { KeyId } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const auditor = emulator.kmsClient(as('user/auditor'));
    await expect(auditor.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const app = emulator.kmsClient(as('assumed-role/app'));
    const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId, Plaintext: bytes('x') }));
    await app.send(new DecryptCommand({ CiphertextBlob }));
    const [decrypt, , denied] = await records(emulator.cloudTrailClient());
    expect(denied.record).toMatchObject({ eventName: 'Encrypt', errorCode: 'AccessDenied', errorMessage: expect.stringContaining('is not authorized to perform: kms:Encrypt') });
    expect(decrypt.record.userIdentity).toMatchObject({ type: 'AssumedRole', arn: identity('assumed-role/app').arn, sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/app' } } });
    expect(decrypt.Username).toBe('keydeck');
    expect(decrypt.record.requestParameters).toEqual({});
  });

  it('records a cross-account call in both accounts', async () => {
    const { emulator, kms } = testEmulator();
    const { KeyId, Arn } = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const shared = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: shared }));
    await emulator.kmsClient(as(`${PARTNER_ACCOUNT}:user/admin`)).send(new EncryptCommand({ KeyId: Arn, Plaintext: bytes('x') }));
    const [ownerSide] = await records(emulator.cloudTrailClient());
    const [partnerSide] = await records(emulator.cloudTrailClient(as(`${PARTNER_ACCOUNT}:user/admin`)));
    expect(ownerSide.record).toMatchObject({ eventName: 'Encrypt', recipientAccountId: '111122223333', userIdentity: { accountId: PARTNER_ACCOUNT } });
    expect(partnerSide.record).toMatchObject({ eventName: 'Encrypt', recipientAccountId: PARTNER_ACCOUNT });
  });
});

describe('LookupEvents', () => {
  async function withEvents(count: number) {
    const t = testEmulator();
    const { KeyId } = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    for (let i = 0; i < count; i++) {
      t.advance(1000);
      await t.kms.send(new EncryptCommand({ KeyId, Plaintext: bytes(String(i)) }));
    }
    return { ...t, KeyId, trail: t.emulator.cloudTrailClient() };
  }

  it('answers newest first and pages with NextToken', async () => {
    const { trail } = await withEvents(5);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await trail.send(new LookupEventsCommand({ MaxResults: 2, NextToken }));
      expect(page.Events!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Events!.map((e) => e.EventId!));
      NextToken = page.NextToken;
    } while (NextToken);
    const all = await trail.send(new LookupEventsCommand({}));
    expect(seen).toEqual(all.Events!.map((e) => e.EventId));
    expect(all.Events).toHaveLength(6);
    const times = all.Events!.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by one lookup attribute and a time range', async () => {
    const { trail, KeyId, now } = await withEvents(3);
    expect((await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateKey' }] }))).Events).toHaveLength(1);
    expect((await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KeyId }] }))).Events).toHaveLength(4);
    expect((await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }))).Events).toHaveLength(1);
    const recent = await trail.send(new LookupEventsCommand({ StartTime: new Date(now().getTime() - 1500), EndTime: now() }));
    expect(recent.Events).toHaveLength(2);
  });

  it('refuses two lookup attributes, MaxResults over 50, a bad NextToken and an inverted time range', async () => {
    const { trail, now } = await withEvents(1);
    await expect(
      trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }, { AttributeKey: 'Username', AttributeValue: 'admin' }] })),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
    await expect(trail.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: 'InvalidMaxResultsException' });
    await expect(trail.send(new LookupEventsCommand({ NextToken: 'forged' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    await expect(trail.send(new LookupEventsCommand({ StartTime: now(), EndTime: new Date(now().getTime() - DAY) }))).rejects.toMatchObject({ name: 'InvalidTimeRangeException' });
  });

  it('keeps 90 days', async () => {
    const { trail, advance } = await withEvents(2);
    advance(91 * DAY);
    expect((await trail.send(new LookupEventsCommand({}))).Events).toEqual([]);
  });

  it('needs cloudtrail:LookupEvents', async () => {
    const { emulator } = await withEvents(1);
    await expect(emulator.cloudTrailClient(as('assumed-role/app')).send(new LookupEventsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(emulator.cloudTrailClient(as('user/auditor')).send(new LookupEventsCommand({}))).resolves.toBeDefined();
  });

  it('throttles at the configured rate per account and region with ThrottlingException', async () => {
    const emulator = createEmulator({ lookupEventsPerSecond: 2 });
    const trail = emulator.cloudTrailClient();
    await trail.send(new LookupEventsCommand({}));
    await trail.send(new LookupEventsCommand({}));
    await expect(trail.send(new LookupEventsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(emulator.cloudTrailClient({ region: 'eu-west-1' }).send(new LookupEventsCommand({}))).resolves.toBeDefined();
  });

  it('keeps events across a restart of a data dir', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-trail-'));
    try {
      const first = createEmulator({ dataDir });
      await first.kmsClient().send(new CreateKeyCommand({}));
      await first.close();
      const second = createEmulator({ dataDir });
      const events = (await second.cloudTrailClient().send(new LookupEventsCommand({}))).Events!;
      expect(events.map((e) => e.EventName)).toEqual(['CreateKey']);
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('imports the JSON-lines trail of earlier versions once, both of its line formats, records intact', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-trail-'));
    try {
      const source = testEmulator();
      await source.kms.send(new CreateKeyCommand({ Description: 'tab\tand "quotes"' }));
      await source.kms.send(new CreateKeyCommand({ Description: 'second' }));
      const [second, first] = (await source.emulator.cloudTrailClient().send(new LookupEventsCommand({}))).Events!;
      const attributes = (e: typeof first) => ({
        account: '111122223333', region: 'us-east-1', time: e.EventTime!.getTime(), eventId: e.EventId, eventName: e.EventName, eventSource: e.EventSource,
        readOnly: e.ReadOnly === 'true', accessKeyId: e.AccessKeyId, username: e.Username, resources: e.Resources,
      });
      // The tab format (attributes, a tab, the record) and the older one (the record as a string member).
      fs.writeFileSync(
        path.join(dataDir, 'cloudtrail.jsonl'),
        `${JSON.stringify(attributes(first))}\t${first.CloudTrailEvent}\n${JSON.stringify({ ...attributes(second), json: second.CloudTrailEvent })}\n{"torn`,
      );
      const opened = createEmulator({ dataDir, clock: () => new Date(second.EventTime!.getTime() + 1000) });
      const events = (await opened.cloudTrailClient().send(new LookupEventsCommand({}))).Events!;
      expect(events.map((e) => e.CloudTrailEvent)).toEqual([second.CloudTrailEvent, first.CloudTrailEvent]);
      expect(events.map((e) => e.EventId)).toEqual([second.EventId, first.EventId]);
      expect(JSON.parse(events[1].CloudTrailEvent!).requestParameters.description).toBe('tab\tand "quotes"');
      await opened.close();
      expect(fs.existsSync(path.join(dataDir, 'cloudtrail.jsonl'))).toBe(false);
      // Imported once: opening again neither loses nor repeats them.
      const again = createEmulator({ dataDir, clock: () => new Date(second.EventTime!.getTime() + 1000) });
      expect((await again.cloudTrailClient().send(new LookupEventsCommand({}))).Events).toHaveLength(2);
      await again.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
