/**
 * With CloudTrail Lake chosen in Settings (aws mode), the usage report's charts and cost inputs come from
 * Lake SQL over the event data store. KMS is the emulator over HTTP (AWS_ENDPOINT_URL); CloudTrail Lake is
 * not emulated, so a middleware on the console's own CloudTrail client answers StartQuery / DescribeQuery /
 * GetQueryResults from a script — this checks the wiring (which queries, for which account id, whose rows
 * reach the report), not Lake itself.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { MiddlewareStack } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '@/lib/emulator';
import { createEmulatorServer } from '@/lib/emulator/server';

// Settings' action needs a signed-in admin; a unit test has no cookie (as in define-action.test.ts).
vi.mock('@/lib/auth/session', async () => {
  class AuthError extends Error {}
  return { AuthError, currentUser: async () => ({ id: 'u-admin', name: 'admin', role: 'admin', accounts: null }), requireRole: async () => ({ role: 'admin', accounts: null }) };
});

const emulator = createEmulator();
const server = createEmulatorServer(emulator);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-report-lake-'));
const EDS = 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EDS-0001-lake-test';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') || name.startsWith('KEYDECK_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    KEYDECK_MODE: 'aws',
    KEYDECK_DATA_DIR: dataDir,
    KEYDECK_REGIONS: 'us-east-1',
    KEYDECK_ACCOUNTS: 'main=111122223333',
    KEYDECK_INVENTORY_WARMUP: 'off',
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Settings’ usage source in aws mode', () => {
  it('takes a Lake event data store from an admin, and refuses a malformed one naming the field', async () => {
    const { setUsageSourceAction } = await import('@/app/(console)/settings/actions');
    const bad = await setUsageSourceAction({ kind: 'lake', eventDataStore: "EDS-1' OR '1'='1" });
    expect(bad).toEqual({
      ok: false,
      error: { name: 'ValidationException', message: 'eventDataStore: must be an event data store ARN (arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>) or its id' },
    });
    expect(await setUsageSourceAction({ kind: 'lake', eventDataStore: EDS })).toEqual({ ok: true, data: { kind: 'lake', eventDataStore: EDS } });
    expect(await setUsageSourceAction({ kind: 'store' })).toEqual({ ok: true, data: { kind: 'store' } });
  });
});

describe('usageReport with CloudTrail Lake as the source', () => {
  it('answers the charts and the cost inputs from Lake SQL over the event data store, for the account’s id', async () => {
    const { clientsFor } = await import('@/lib/aws/clients');
    const { sharedStore } = await import('@/lib/store/shared');
    const { setUsageSource } = await import('./source');
    const { usageReport } = await import('./report');
    await setUsageSource((await sharedStore()).db, { kind: 'lake', eventDataStore: EDS });

    const statements: string[] = [];
    const cloudtrail = clientsFor({ region: 'us-east-1' }).cloudtrail;
    // Answers Lake's three operations before they reach the wire; every other call goes on as usual.
    (cloudtrail.middlewareStack as MiddlewareStack<object, object>).add(
      (next, context) => async (args) => {
        const input = (args as { input: { QueryStatement?: string; QueryId?: string } }).input;
        const answer = (output: object) => ({ output: { $metadata: {}, ...output }, response: {} });
        if (context.commandName === 'StartQueryCommand') {
          statements.push(input.QueryStatement!);
          return answer({ QueryId: String(statements.length - 1) });
        }
        if (context.commandName === 'DescribeQueryCommand') return answer({ QueryStatus: 'FINISHED' });
        if (context.commandName === 'GetQueryResultsCommand') {
          const sql = statements[Number(input.QueryId)];
          const rows = sql.startsWith('SELECT count(*) AS calls')
            ? [[{ calls: '42' }, { errors: '2' }]]
            : sql.startsWith("SELECT COALESCE(element_at(filter(resources, r -> r.type = 'AWS::KMS::Key'), 1).arn, '') AS name")
              ? [[{ name: 'arn:aws:kms:us-east-1:111122223333:key/from-lake' }, { calls: '40' }, { errors: '2' }]]
              : [];
          return answer({ QueryStatus: 'FINISHED', QueryResultRows: rows });
        }
        return next(args);
      },
      { step: 'initialize', name: 'scriptedLake' },
    );

    const report = await usageReport({ region: 'us-east-1', range: '7d' });
    expect(report.dataSource).toBe('lake');
    expect(report.totals).toEqual({ calls: 42, errors: 2 });
    expect(report.topKeys).toEqual([{ name: 'arn:aws:kms:us-east-1:111122223333:key/from-lake', calls: 40, errors: 2 }]);
    // Eight chart queries and four cost-input queries (per day, per key, per API, per caller), all over the
    // event data store, for the account's 12-digit id.
    expect(statements).toHaveLength(12);
    for (const sql of statements) {
      expect(sql).toContain('FROM EDS-0001-lake-test\n');
      expect(sql).toContain("recipientAccountId = '111122223333'");
    }
    expect(statements.filter((s) => s.startsWith('SELECT date_format(eventTime'))).toHaveLength(4);
    expect(statements.filter((s) => s.startsWith('SELECT date_format(eventTime') && s.includes(' AS name, count(*) AS calls'))).toHaveLength(2);
    expect(report.costError).toBeNull();
  });
});

describe('the unused keys view in aws mode', () => {
  it('matches the inventory to CloudTrail by the account id: an application’s key is used, a key only Keydeck touched is not', async () => {
    const { CreateKeyCommand, EncryptCommand, KMSClient } = await import('@aws-sdk/client-kms');
    const { clientsFor } = await import('@/lib/aws/clients');
    const { syncNow } = await import('./sync-job');
    const { unusedKeysReport } = await import('./report');
    // Made by the console (its user agent), then only read by it.
    const idle = (await clientsFor({ region: 'us-east-1' }).kms.send(new CreateKeyCommand({ Description: 'idle' }))).KeyMetadata!.KeyId!;
    // Made and used by an application (the SDK's own user agent), through the same endpoint.
    const app = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const used = (await app.send(new CreateKeyCommand({ Description: 'used' }))).KeyMetadata!.KeyId!;
    await app.send(new EncryptCommand({ KeyId: used, Plaintext: Buffer.from('x') }));
    app.destroy();
    await syncNow('us-east-1');
    // The earlier report loaded the inventory before these keys existed: reload it, as a refresh would.
    const { getInventory } = await import('@/lib/kms/inventory-cache');
    await getInventory({ account: 'main', region: 'us-east-1' }, { force: true });
    const report = await unusedKeysReport('us-east-1', 30);
    expect(report.account).toBe('main');
    expect(report.keys.map((k) => k.id)).toContain(idle);
    expect(report.keys.map((k) => k.id)).not.toContain(used);
    expect(report.keys.find((k) => k.id === idle)?.arn).toBe(`arn:aws:kms:us-east-1:111122223333:key/${idle}`);
  });
});
