import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, KMSClient, paginateListKeys } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorProcess } from './test-support/emulator-process';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let running: EmulatorProcess | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-seed-'));

afterAll(async () => {
  await running?.stop('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run emulator -- --seed demo', () => {
  it('serves the demo account in three Regions with 90 days of CloudTrail history, and seeds only once', async () => {
    // A small history keeps the test quick; the default is about a million events.
    running = await startEmulator(['--data-dir', dataDir, '--quiet', '--seed', 'demo', '--history-events', '5000'], 90_000);
    const endpoint = `http://127.0.0.1:${running.port}`;
    const count = async (region: string) => {
      let n = 0;
      for await (const page of paginateListKeys({ client: new KMSClient({ region, endpoint, credentials }) }, {})) n += page.Keys?.length ?? 0;
      return n;
    };
    const counts = { east: await count('us-east-1'), west1: await count('eu-west-1'), west2: await count('eu-west-2') };
    expect(counts.east).toBeGreaterThan(30);
    expect(counts.west1).toBeGreaterThan(15);
    expect(counts.west2).toBeGreaterThan(15);
    const replica = await new KMSClient({ region: 'eu-west-1', endpoint, credentials }).send(new DescribeKeyCommand({ KeyId: 'alias/global/orders' }));
    expect(replica.KeyMetadata?.MultiRegionConfiguration?.MultiRegionKeyType).toBe('REPLICA');
    const trail = new CloudTrailClient({ region: 'us-east-1', endpoint, credentials });
    const old = await trail.send(new LookupEventsCommand({ EndTime: new Date(Date.now() - 80 * 86_400_000), MaxResults: 5 }));
    expect(old.Events?.length).toBe(5);
    // The applications' calls, not only the seed's own: the checkout service's role session.
    const checkout = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'checkout' }], MaxResults: 50 }));
    expect(checkout.Events?.length).toBe(50);
    await running.stop('SIGTERM');

    // Restarted over the same data dir with --seed demo again: nothing is added.
    running = await startEmulator(['--data-dir', dataDir, '--quiet', '--seed', 'demo', '--history-events', '5000'], 90_000);
    const again = new KMSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${running.port}`, credentials });
    let n = 0;
    for await (const page of paginateListKeys({ client: again }, {})) n += page.Keys?.length ?? 0;
    expect(n).toBe(counts.east);
  }, 180_000);
});
