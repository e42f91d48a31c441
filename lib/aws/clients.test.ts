import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, paginateListKeys } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '@/lib/config';
import { userAgentFamily } from '@/lib/usage/event';
import { clientsFor, stsFor } from './clients';
import { KEYDECK_USER_AGENT } from './user-agent';
import { sharedEmulator } from './shared-emulator';

/** Keys of the client's account and region, over every ListKeys page. */
async function countKeys(kms: KMSClient): Promise<number> {
  let count = 0;
  for await (const page of paginateListKeys({ client: kms, pageSize: 1000 }, {})) count += page.Keys?.length ?? 0;
  return count;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-clients-'));
const demo: Config = { mode: 'demo', dataDir, region: 'us-east-1', regions: ['us-east-1'], accounts: [{ name: 'default' }], session: { idleSeconds: 1800, absoluteSeconds: 43_200 } };

afterAll(async () => {
  await sharedEmulator(dataDir).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('clientsFor', () => {
  it('in demo mode gives a KMSClient backed by the one shared emulator', async () => {
    const { kms } = clientsFor({ region: 'us-east-1' }, demo);
    expect(kms).toBeInstanceOf(KMSClient);
    const before = await countKeys(kms);
    await sharedEmulator(dataDir).kmsClient().send(new CreateKeyCommand({}));
    expect(await countKeys(kms)).toBe(before + 1);
    expect(fs.existsSync(path.join(dataDir, 'emulator'))).toBe(true);
  });

  it('in demo mode keeps regions apart', async () => {
    const east = clientsFor({ region: 'us-east-1' }, demo).kms;
    const west = clientsFor({ region: 'eu-west-1' }, demo).kms;
    await east.send(new CreateKeyCommand({}));
    expect(await countKeys(west)).toBe(0);
  });

  it('in demo mode gives a CloudTrailClient that sees the calls made with the KMS client', async () => {
    const { kms, cloudtrail } = clientsFor({ region: 'eu-west-2' }, demo);
    expect(cloudtrail).toBeInstanceOf(CloudTrailClient);
    const created = await kms.send(new CreateKeyCommand({}));
    const { Events = [] } = await cloudtrail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: created.KeyMetadata?.Arn }] }),
    );
    expect(Events.map((event) => event.EventName)).toContain('CreateKey');
  });

  it('in demo mode signs every call keydeck/<version>: the emulator’s CloudTrail records it and usage files it as Keydeck’s own', async () => {
    const { kms, cloudtrail } = clientsFor({ region: 'eu-west-2' }, demo);
    // A key made by someone else (the SDK's own user agent), then read by the console.
    const created = await sharedEmulator(dataDir).kmsClient({ region: 'eu-west-2' }).send(new CreateKeyCommand({}));
    await kms.send(new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId }));
    const { Events = [] } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: created.KeyMetadata!.Arn }] }));
    const agents = Object.fromEntries(Events.map((e) => [e.EventName, (JSON.parse(e.CloudTrailEvent!) as { userAgent: string }).userAgent]));
    expect(agents.DescribeKey).toContain(KEYDECK_USER_AGENT);
    expect(userAgentFamily(agents.DescribeKey)).toBe('keydeck');
    expect(userAgentFamily(agents.CreateKey)).toBe('aws-sdk-js');
    expect(KEYDECK_USER_AGENT).toMatch(/^keydeck\/\d+\.\d+\.\d+/);
    expect(await stsFor({ region: 'eu-west-2' }, demo).config.customUserAgent).toEqual([[KEYDECK_USER_AGENT]]);
  });

  it('returns the same clients for the same context', () => {
    expect(clientsFor({ region: 'us-east-1' }, demo)).toBe(clientsFor({ region: 'us-east-1' }, demo));
  });

  it('in aws mode gives a plain KMSClient for the region', async () => {
    const { kms } = clientsFor({ region: 'eu-central-1' }, { ...demo, mode: 'aws' });
    expect(kms).toBeInstanceOf(KMSClient);
    expect(await kms.config.region()).toBe('eu-central-1');
    const { cloudtrail } = clientsFor({ region: 'eu-central-1' }, { ...demo, mode: 'aws' });
    expect(await cloudtrail.config.region()).toBe('eu-central-1');
  });
});
