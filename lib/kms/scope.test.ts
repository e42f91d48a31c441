/**
 * The scope of a write in aws mode with several accounts: the server actions act in the account and
 * region they name, through that account's credentials (a role assumed with STS for `partner`), and
 * refuse an unknown account or region with a ValidationException instead of falling back to the default.
 * Against the emulator over HTTP, reached through AWS_ENDPOINT_URL, as a real deployment reaches AWS.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInForTest } from '@/lib/auth/test-request';
import { createEmulator } from '@/lib/emulator';
import { createEmulatorServer } from '@/lib/emulator/server';
import { consoleContext, resolveScope, scopeFields, scopeProblem, type ConsoleContext } from './scope';

// The actions run as a signed-in admin: a real session in the store, behind a stand-in for next/headers.
vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

const ROLE = 'arn:aws:iam::444455556666:role/keydeck-console';
const emulator = createEmulator();
const server = createEmulatorServer(emulator);
let endpoint = '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-scope-test-'));

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') || name.startsWith('KEYDECK_')) delete process.env[name];
  // Read by getConfig (and so consoleContext and clientsFor) on first use, which comes after this.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    KEYDECK_MODE: 'aws',
    KEYDECK_DATA_DIR: dataDir,
    KEYDECK_REGIONS: 'us-east-1,eu-west-1',
    KEYDECK_ACCOUNTS: `main=111122223333,partner=444455556666:${ROLE}`,
  });
  await signInForTest('admin');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A KMS client as the partner role, straight to the emulator: what the test checks the writes with. */
async function partnerKms(region = 'us-east-1'): Promise<KMSClient> {
  const sts = new STSClient({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'scope-test' }));
  sts.destroy();
  return new KMSClient({ endpoint, region, credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! } });
}

describe('scopeProblem', () => {
  const context: ConsoleContext = {
    mode: 'aws',
    account: 'main',
    accounts: [{ name: 'main', accountId: '111122223333' }, { name: 'partner', accountId: '444455556666', roleArn: ROLE }],
    regions: ['us-east-1', 'eu-west-1'],
    defaultRegion: 'us-east-1',
  };

  it('accepts a configured account and region', () => {
    expect(scopeProblem({ region: 'eu-west-1', account: 'partner' }, context)).toBeNull();
  });

  it('names the unknown region and lists the configured ones', () => {
    expect(scopeProblem({ region: 'ap-south-1', account: 'main' }, context)).toEqual({
      field: 'region',
      message: "'ap-south-1' is not one of the console's regions (us-east-1, eu-west-1).",
    });
  });

  it('names the unknown or missing account and lists the configured ones', () => {
    expect(scopeProblem({ region: 'us-east-1', account: 'nobody' }, context)).toEqual({
      field: 'account',
      message: "'nobody' is not one of the console's accounts (main, partner).",
    });
    expect(scopeProblem({ region: 'us-east-1', account: undefined }, context)?.field).toBe('account');
  });
});

describe('scopeFields (the process configuration: aws mode, main and partner)', () => {
  const schema = z.object(scopeFields);

  it('passes a configured scope through unchanged', () => {
    expect(schema.parse({ region: 'eu-west-1', account: 'partner' })).toEqual({ region: 'eu-west-1', account: 'partner' });
    expect(consoleContext().accounts.map((a) => a.name)).toEqual(['main', 'partner']);
  });

  it('refuses an unknown account or region where a read would fall back to the default', () => {
    expect(resolveScope('us-west-2', 'nobody')).toEqual({ region: 'us-east-1', account: 'main' });
    const result = schema.safeParse({ region: 'us-west-2', account: 'nobody' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['region', "'us-west-2' is not one of the console's regions (us-east-1, eu-west-1)."],
      ['account', "'nobody' is not one of the console's accounts (main, partner)."],
    ]);
    expect(schema.safeParse({ region: 'us-east-1' }).success).toBe(false);
  });
});

describe('the key actions write in the scope they name', () => {
  it('refuses an unknown account with a ValidationException, and calls nothing', async () => {
    const { createAliasAction } = await import('@/app/(console)/keys/[keyId]/actions');
    const result = await createAliasAction({ region: 'us-east-1', account: 'nobody', keyId: 'alias/anything', aliasName: 'alias/x' });
    expect(result).toEqual({ ok: false, error: { name: 'ValidationException', message: "account: 'nobody' is not one of the console's accounts (main, partner)." } });
  });

  it('creates a key with the wizard action in partner (its policy names 444455556666), then changes it there only', async () => {
    const { createKeyAction } = await import('@/app/(console)/keys/new/actions');
    const actions = await import('@/app/(console)/keys/[keyId]/actions');
    const scope = { region: 'eu-west-1', account: 'partner' };
    const created = await createKeyAction({
      ...scope,
      draft: {
        keyType: 'symmetric',
        keyUsage: 'ENCRYPT_DECRYPT',
        keySpec: 'SYMMETRIC_DEFAULT',
        origin: 'AWS_KMS',
        multiRegion: false,
        alias: 'scope-test/partner',
        description: 'made by the wizard action in partner',
        tags: [],
        administrators: [],
        users: [],
        allowGrantsForAwsResources: false,
      },
    });
    if (!created.ok) throw new Error(`${created.error.name}: ${created.error.message}`);
    expect(created.data).toMatchObject({ region: 'eu-west-1', account: 'partner' });
    expect(created.data.arn).toMatch(/^arn:aws:kms:eu-west-1:444455556666:key\//);
    const keyId = created.data.keyId;

    for (const result of [
      await actions.setKeyEnabledAction({ ...scope, keyId, enabled: false }),
      await actions.setKeyEnabledAction({ ...scope, keyId, enabled: true }),
      await actions.setRotationAction({ ...scope, keyId, enabled: true, periodDays: 180 }),
      await actions.putTagAction({ ...scope, keyId, key: 'team', value: 'partner' }),
      await actions.createAliasAction({ ...scope, keyId, aliasName: 'alias/scope-test/second' }),
    ]) {
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }

    const partner = await partnerKms('eu-west-1');
    expect((await partner.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata).toMatchObject({ AWSAccountId: '444455556666', KeyState: 'Enabled' });
    expect(await partner.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    expect((await partner.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'partner' }]);
    const policy = JSON.parse((await partner.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!) as { Statement: { Principal: { AWS: string } }[] };
    expect(policy.Statement[0].Principal.AWS).toBe('arn:aws:iam::444455556666:root');
    expect((await partner.send(new ListAliasesCommand({ KeyId: keyId }))).Aliases?.map((a) => a.AliasName).sort()).toEqual(['alias/scope-test/partner', 'alias/scope-test/second']);
    partner.destroy();

    // The base identity's account has neither the key nor its aliases.
    const main = new KMSClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await expect(main.send(new DescribeKeyCommand({ KeyId: keyId }))).rejects.toMatchObject({ name: 'NotFoundException' });
    expect((await main.send(new ListAliasesCommand({}))).Aliases?.map((a) => a.AliasName).filter((n) => n?.startsWith('alias/scope-test/'))).toEqual([]);
    main.destroy();
  });
});
