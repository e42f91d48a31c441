/**
 * clientsFor and stsFor in aws mode, against the emulator served over HTTP and reached through
 * AWS_ENDPOINT_URL with static credentials: the base identity, and a second account through a role.
 */
import type { AddressInfo } from 'node:net';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '@/lib/config';
import { createEmulator } from '@/lib/emulator';
import { createEmulatorServer } from '@/lib/emulator/server';
import { accountFor, clientsFor, stsFor } from './clients';
import { userAgentFamily } from '@/lib/usage/event';
import { settingsStatus } from './settings-status';
import { KEYDECK_USER_AGENT } from './user-agent';

const ROLE = 'arn:aws:iam::444455556666:role/keydeck-console';
const emulator = createEmulator();
const server = createEmulatorServer(emulator);
const config: Config = {
  mode: 'aws',
  dataDir: '/nonexistent',
  session: { idleSeconds: 1800, absoluteSeconds: 43_200 },
  region: 'us-east-1',
  regions: ['us-east-1', 'eu-west-1'],
  accounts: [
    { name: 'main', accountId: '111122223333' },
    { name: 'partner', accountId: '444455556666', roleArn: ROLE },
  ],
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The process configuration, read by settingsStatus (through lib/kms/scope) on first use.
    KEYDECK_MODE: 'aws',
    KEYDECK_REGIONS: 'us-east-1,eu-west-1',
    KEYDECK_ACCOUNTS: `main=111122223333,partner=444455556666:${ROLE},broken=444455556666:arn:aws:iam::444455556666:role/missing`,
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
});

describe('clientsFor in aws mode (AWS_ENDPOINT_URL → the emulator)', () => {
  it('uses the credential chain for the default account', async () => {
    const me = await stsFor({ region: 'us-east-1' }, config).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:iam::111122223333:user/admin');
    const { kms } = clientsFor({ region: 'us-east-1' }, config);
    const key = await kms.send(new CreateKeyCommand({ Description: 'main' }));
    expect(key.KeyMetadata?.AWSAccountId).toBe('111122223333');
  });

  it('reaches a second account through its role, with session name keydeck, and keeps accounts apart', async () => {
    const me = await stsFor({ region: 'eu-west-1', account: 'partner' }, config).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe('arn:aws:sts::444455556666:assumed-role/keydeck-console/keydeck');
    const { kms } = clientsFor({ region: 'eu-west-1', account: 'partner' }, config);
    const key = await kms.send(new CreateKeyCommand({ Description: 'partner' }));
    expect(key.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:eu-west-1:444455556666:key\//);
    const mainKeys = await clientsFor({ region: 'eu-west-1', account: 'main' }, config).kms.send(new ListKeysCommand({}));
    expect(mainKeys.Keys ?? []).toHaveLength(0);
  });

  it('shares one role session among the clients of an account', async () => {
    const { kms, cloudtrail } = clientsFor({ region: 'us-east-1', account: 'partner' }, config);
    const [a, b] = await Promise.all([kms.config.credentials(), cloudtrail.config.credentials()]);
    expect(a.accessKeyId).toMatch(/^ASIA/);
    expect(b.accessKeyId).toBe(a.accessKeyId);
  });

  it('signs its calls as keydeck/<version>, which CloudTrail records and the usage store files as Keydeck’s own', async () => {
    const { kms, cloudtrail } = clientsFor({ region: 'us-east-1', account: 'partner' }, config);
    const key = await kms.send(new CreateKeyCommand({ Description: 'agent' }));
    await kms.send(new DescribeKeyCommand({ KeyId: key.KeyMetadata!.KeyId }));
    const { Events = [] } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: key.KeyMetadata!.Arn }] }));
    expect(Events.map((e) => e.EventName).sort()).toEqual(['CreateKey', 'DescribeKey']);
    for (const e of Events) {
      const { userAgent } = JSON.parse(e.CloudTrailEvent!) as { userAgent: string };
      expect(userAgent).toContain(KEYDECK_USER_AGENT);
      expect(userAgentFamily(userAgent)).toBe('keydeck');
    }
  });

  it('defaults to the first account and refuses an unknown one', () => {
    expect(accountFor(undefined, config).name).toBe('main');
    expect(() => clientsFor({ region: 'us-east-1', account: 'nobody' }, config)).toThrow("No account named 'nobody' is configured (KEYDECK_ACCOUNTS).");
  });
});

describe('settingsStatus in aws mode', () => {
  it('resolves each account, reports the exact STS error of a role it cannot assume, and times KMS per region', async () => {
    const status = await settingsStatus();
    expect(status).toMatchObject({ mode: 'aws', regions: ['us-east-1', 'eu-west-1'], defaultRegion: 'us-east-1', endpointUrl: process.env.AWS_ENDPOINT_URL });
    expect(status.dataDir).toBeUndefined();
    const [main, partner, broken] = status.accounts;
    expect(main).toMatchObject({ name: 'main', identity: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/admin' } });
    expect(partner).toMatchObject({ name: 'partner', roleArn: ROLE, identity: { account: '444455556666', arn: 'arn:aws:sts::444455556666:assumed-role/keydeck-console/keydeck' } });
    expect(partner.identity?.userId).toMatch(/^AROA[A-Z0-9]{17}:keydeck$/);
    for (const account of [main, partner]) {
      expect(account.regions.map((r) => [r.region, r.ok])).toEqual([['us-east-1', true], ['eu-west-1', true]]);
      for (const r of account.regions) expect(r.ms).toBeGreaterThanOrEqual(0);
    }
    expect(broken.identity).toBeUndefined();
    expect(broken.identityError).toEqual({
      name: 'AccessDenied',
      message: 'User: arn:aws:iam::111122223333:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/missing',
    });
    expect(broken.regions.every((r) => !r.ok && r.error?.name === 'AccessDenied')).toBe(true);
    // Nothing secret travels: no access key or session token anywhere in the answer.
    expect(JSON.stringify(status)).not.toMatch(/ASIA[A-Z2-7]{16}|KDS1\.|"secret/i);
  });
});
