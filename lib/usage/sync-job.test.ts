/**
 * The background sync in aws mode with two accounts (the second reached through a role) and two Regions,
 * against the emulator served over HTTP (AWS_ENDPOINT_URL): every account × Region is synced with its own
 * checkpoint and LookupEvents bucket, the first sync reads KEYDECK_USAGE_FIRST_SYNC_DAYS back, the reports
 * honour the account, and KEYDECK_USAGE_SYNC=off keeps everything still.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '@/lib/emulator';
import { createEmulatorServer } from '@/lib/emulator/server';

const ROLE = 'arn:aws:iam::444455556666:role/keydeck-console';
const DAY_MS = 86_400_000;
let offsetMs = 0;
const emulator = createEmulator({ clock: () => new Date(Date.now() + offsetMs), lookupEventsPerSecond: 2 });
const server = createEmulatorServer(emulator);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-usage-sync-'));
const saved = { ...process.env };

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
    KEYDECK_REGIONS: 'us-east-1,eu-west-1',
    KEYDECK_ACCOUNTS: `main=111122223333,partner=444455556666:${ROLE}`,
    KEYDECK_USAGE_FIRST_SYNC_DAYS: '3',
  });
});

afterAll(async () => {
  const { sharedStore } = await import('@/lib/store/shared');
  await (await sharedStore()).close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
  process.env = saved;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the usage sync job in aws mode', () => {
  it('does nothing at all when KEYDECK_USAGE_SYNC=off, and says so', async () => {
    const job = await import('./sync-job');
    process.env.KEYDECK_USAGE_SYNC = 'off';
    try {
      job.ensureUsageSync();
      expect(job.usageSyncStarted()).toBe(false);
      await expect(job.syncNow('us-east-1', 'main')).rejects.toThrow(job.UsageSyncOffError);
      await job.syncAll();
      const { sharedStore } = await import('@/lib/store/shared');
      expect(await (await sharedStore()).db.selectFrom('usage_checkpoints').selectAll().execute()).toEqual([]);
      expect(await job.syncOverview()).toMatchObject({ enabled: false, ratePerSecond: 2 });
    } finally {
      delete process.env.KEYDECK_USAGE_SYNC;
    }
  });

  it('syncs every account × Region with its own checkpoint and bucket, reading back the chosen first-sync window', async () => {
    const { clientsFor } = await import('@/lib/aws/clients');
    const job = await import('./sync-job');
    const { sharedStore } = await import('@/lib/store/shared');
    const { usageReport, keyUsageReport } = await import('./report');
    const calls = async (account: string, region: string, n: number) => {
      const { kms } = clientsFor({ account, region });
      const key = (await kms.send(new CreateKeyCommand({ Description: `${account} ${region}` }))).KeyMetadata!;
      for (let i = 0; i < n; i++) await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
      return key;
    };
    // Ten days ago (outside the 3-day first-sync window): calls the first sync must not read.
    offsetMs = -10 * DAY_MS;
    await calls('main', 'us-east-1', 4);
    offsetMs = 0;
    await calls('main', 'us-east-1', 2); // 3 events
    const partnerKey = await calls('partner', 'eu-west-1', 5); // 6 events
    await clientsFor({ account: 'partner', region: 'us-east-1' }).kms.send(new DescribeKeyCommand({ KeyId: partnerKey.Arn })).catch(() => undefined); // 1 event (refused: other Region)

    expect(job.syncTargets()).toEqual([
      { account: 'main', region: 'us-east-1' },
      { account: 'main', region: 'eu-west-1' },
      { account: 'partner', region: 'us-east-1' },
      { account: 'partner', region: 'eu-west-1' },
    ]);
    // AWS's quota is per account and Region: one bucket each, at 2 requests a second.
    const buckets = job.syncTargets().map((t) => job.bucketOf(t.account, t.region));
    expect(new Set(buckets).size).toBe(4);
    expect(buckets.every((b) => b.ratePerSecond === 2)).toBe(true);
    expect(job.bucketOf('partner', 'eu-west-1')).toBe(buckets[3]);

    await job.syncAll();
    const db = (await sharedStore()).db;
    const counts = await db
      .selectFrom('usage_events')
      .select(['account', 'region', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['account', 'region'])
      .orderBy('account')
      .orderBy('region')
      .execute();
    expect(counts.map((c) => [c.account, c.region, Number(c.n)])).toEqual([
      ['main', 'us-east-1', 3],
      ['partner', 'eu-west-1', 6],
      ['partner', 'us-east-1', 1],
    ]);
    const partnerArns = await db.selectFrom('usage_events').select('key_arn').where('account', '=', 'partner').where('event_name', '=', 'Encrypt').execute();
    expect(partnerArns.every((r) => r.key_arn.startsWith('arn:aws:kms:eu-west-1:444455556666:key/'))).toBe(true);
    const checkpoints = await db.selectFrom('usage_checkpoints').selectAll().orderBy('account').orderBy('region').execute();
    expect(checkpoints.map((c) => `${c.account}/${c.region}`)).toEqual(['main/eu-west-1', 'main/us-east-1', 'partner/eu-west-1', 'partner/us-east-1']);
    for (const c of checkpoints) expect(c).toMatchObject({ run_end: 0, last_error: '' });
    expect(checkpoints.every((c) => c.last_sync_at > 0)).toBe(true);

    const overview = await job.syncOverview();
    expect(overview).toMatchObject({ enabled: true, ratePerSecond: 2 });
    expect(overview.regions.map((r) => [r.account, r.region, r.running, r.lastSyncAt !== null])).toEqual([
      ['main', 'us-east-1', false, true],
      ['main', 'eu-west-1', false, true],
      ['partner', 'us-east-1', false, true],
      ['partner', 'eu-west-1', false, true],
    ]);

    // The reports read the account the header selected, the default one when none is named.
    const partner = await usageReport({ region: 'eu-west-1', range: '24h', account: 'partner' });
    expect(partner.account).toBe('partner');
    expect(partner.totals.calls).toBe(6);
    expect(partner.topKeys.map((k) => k.name)).toEqual([partnerKey.Arn]);
    const main = await usageReport({ region: 'eu-west-1', range: '24h' });
    expect(main.account).toBe('main');
    expect(main.totals.calls).toBe(0);
    const keyReport = await keyUsageReport('eu-west-1', partnerKey.KeyId!, '7d', 'partner');
    expect(keyReport?.totals.calls).toBe(6);
    expect(await keyUsageReport('eu-west-1', partnerKey.KeyId!, '7d', 'main')).toBeNull();
  }, 60_000);

  it('"Sync now" during a run gets a run after it, so calls made before the ask are in the store when it resolves', async () => {
    const { clientsFor } = await import('@/lib/aws/clients');
    const job = await import('./sync-job');
    const { sharedStore } = await import('@/lib/store/shared');
    const db = (await sharedStore()).db;
    const stored = async (keyArn: string) =>
      (await db.selectFrom('usage_events').select('event_name').where('account', '=', 'main').where('region', '=', 'us-east-1').where('key_arn', '=', keyArn).orderBy('event_name').execute()).map((e) => e.event_name);
    // Someone else holds the bucket for ~2.5 s: the interval run below fixes its window now, then waits.
    const bucket = job.bucketOf('main', 'us-east-1');
    for (let i = 0; i < 6; i++) void bucket.take();
    const interval = job.syncNow('us-east-1', 'main', { followUp: false });
    // Calls two seconds later, outside that run's window.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const { kms } = clientsFor({ account: 'main', region: 'us-east-1' });
    const key = (await kms.send(new CreateKeyCommand({ Description: 'asked for during a run' }))).KeyMetadata!;
    await kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }));
    const status = (await job.syncOverview()).regions.find((r) => r.account === 'main' && r.region === 'us-east-1');
    expect(status?.running).toBe(true);
    const asked = job.syncNow('us-east-1', 'main');
    expect(asked).toBe(interval);
    await asked;
    expect(await stored(key.Arn!)).toEqual(['CreateKey', 'Encrypt']);
    expect((await job.syncOverview()).regions.find((r) => r.account === 'main' && r.region === 'us-east-1')?.running).toBe(false);
  }, 60_000);
});
