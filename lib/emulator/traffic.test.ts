import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { seedDemoAccount } from './demo-account';
import { createEmulator } from './index';
import { startTraffic } from './traffic';

describe('live demo traffic', () => {
  it('keeps calling the demo keys as the demo applications, refused calls included, until stopped', async () => {
    const emulator = createEmulator();
    await seedDemoAccount(emulator);
    const trail = emulator.cloudTrailClient();
    const before = (await trail.send(new LookupEventsCommand({ MaxResults: 50 }))).Events!.length;
    expect(before).toBe(50);
    const newest = (await trail.send(new LookupEventsCommand({ MaxResults: 1 }))).Events![0].EventId;

    // A seeded sequence, so which actions run among the first few hundred is the same every time.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const traffic = startTraffic({ emulator, perMinute: 60_000, random }); // one a millisecond on average
    const deadline = Date.now() + 20_000;
    while (traffic.calls() < 300 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    traffic.stop();
    const made = traffic.calls();
    expect(made).toBeGreaterThanOrEqual(300);

    const events: { EventName?: string; CloudTrailEvent?: string }[] = [];
    let token: string | undefined;
    pages: do {
      const page = await trail.send(new LookupEventsCommand({ MaxResults: 50, NextToken: token }));
      for (const event of page.Events ?? []) {
        if (event.EventId === newest) break pages;
        events.push(event);
      }
      token = page.NextToken;
    } while (token);
    const names = new Set(events.map((e) => e.EventName));
    for (const name of ['Encrypt', 'Decrypt', 'GenerateDataKey', 'Sign', 'GenerateMac']) expect(names.has(name)).toBe(true);
    const errors = events.map((e) => JSON.parse(e.CloudTrailEvent!).errorCode).filter(Boolean);
    expect(errors).toContain('AccessDenied');
    expect(errors).toContain('KMSInvalidStateException'); // the forgotten job on the key pending deletion
    // Calls from the eu-west-1 replica go to that Region's trail, so this Region holds fewer events than calls.
    expect(events.length).toBeLessThanOrEqual(made * 3);

    // Stopped means stopped.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const settled = traffic.calls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(traffic.calls()).toBe(settled);
  }, 120_000);
});
