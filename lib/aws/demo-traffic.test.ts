import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '@/lib/config';
import { seedDemoAccount } from '@/lib/emulator/demo-account';
import { createEmulator, type Emulator } from '@/lib/emulator';
import { startTraffic, TRAFFIC_USER_AGENTS } from '@/lib/emulator/traffic';
import { DEFAULT_DEMO_TRAFFIC, demoTrafficFromEnv, startDemoTraffic, stopDemoTraffic } from './demo-traffic';

const seeded = (random: () => number) => {
  let seed = 42;
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) || random();
};

async function events(emulator: Emulator) {
  const trail = emulator.cloudTrailClient();
  const all: { EventName?: string; EventTime?: Date; AccessKeyId?: string; CloudTrailEvent?: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await trail.send(new LookupEventsCommand({ MaxResults: 50, NextToken }));
    all.push(...(page.Events ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

const demoConfig = (mode: 'demo' | 'aws') => ({ ...parseConfig({ KEYDECK_MODE: 'demo', KEYDECK_DATA_DIR: '/nonexistent/keydeck-test' }), mode });

afterEach(async () => {
  await stopDemoTraffic();
  vi.useRealTimers();
});

describe('live demo traffic on a fake clock', () => {
  it('adds the applications’ calls as time passes, at about the asked rate, and none once stopped', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.parse('2026-11-20T09:00:00Z') });
    const emulator = createEmulator();
    await seedDemoAccount(emulator);
    const before = (await events(emulator)).length;
    const traffic = startTraffic({ emulator, perMinute: 120, random: seeded(Math.random) });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    const made = traffic.calls();
    // 120 a minute for five minutes, with exponential gaps: about 600.
    expect(made).toBeGreaterThan(450);
    expect(made).toBeLessThan(750);
    const after = await events(emulator);
    const added = after.slice(0, after.length - before);
    expect(added.length).toBeGreaterThanOrEqual(made * 0.9); // calls of the eu-west-1 replica are in that Region's trail
    // Spread over the five fake minutes, by the applications with their own user agents, never test/test.
    const times = added.map((e) => e.EventTime!.getTime());
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(4 * 60_000);
    expect(new Set(added.map((e) => e.AccessKeyId))).not.toContain('test'); // the console's own key in demo mode
    const agents = added.map((e) => JSON.parse(e.CloudTrailEvent!).userAgent as string);
    expect(agents.every((ua) => Object.values(TRAFFIC_USER_AGENTS).some((name) => ua.includes(name)))).toBe(true);
    traffic.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(traffic.calls()).toBe(made);
    await emulator.close();
  }, 120_000);
});

describe('the console’s demo traffic', () => {
  it('starts once in demo mode over the demo account, and stops', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.parse('2026-11-20T09:00:00Z') });
    const emulator = createEmulator();
    await seedDemoAccount(emulator);
    const traffic = await startDemoTraffic({ config: demoConfig('demo'), env: { KEYDECK_DEMO_TRAFFIC: '60' }, emulator, random: seeded(Math.random) });
    expect(traffic).toBeDefined();
    // Idempotent: a second start (another route bundle, a dev reload) gets the same generator.
    expect(await startDemoTraffic({ config: demoConfig('demo'), env: { KEYDECK_DEMO_TRAFFIC: '60' }, emulator })).toBe(traffic);
    await vi.advanceTimersByTimeAsync(60_000);
    const made = traffic!.calls();
    expect(made).toBeGreaterThan(30);
    await stopDemoTraffic();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(traffic!.calls()).toBe(made);
    await emulator.close();
  }, 120_000);

  it('does not start in aws mode, when set to 0, or over a data dir without the demo account', async () => {
    const emulator = createEmulator();
    expect(await startDemoTraffic({ config: demoConfig('aws'), env: {}, emulator })).toBeUndefined();
    await stopDemoTraffic();
    expect(await startDemoTraffic({ config: demoConfig('demo'), env: { KEYDECK_DEMO_TRAFFIC: '0' }, emulator })).toBeUndefined();
    await stopDemoTraffic();
    expect(await startDemoTraffic({ config: demoConfig('demo'), env: {}, emulator })).toBeUndefined(); // empty: no demo keys
    await emulator.close();
  });

  it('reads KEYDECK_DEMO_TRAFFIC as calls a minute and refuses anything else by name', () => {
    expect(demoTrafficFromEnv({})).toBe(DEFAULT_DEMO_TRAFFIC);
    expect(demoTrafficFromEnv({ KEYDECK_DEMO_TRAFFIC: '0' })).toBe(0);
    expect(demoTrafficFromEnv({ KEYDECK_DEMO_TRAFFIC: '7.5' })).toBe(7.5);
    expect(() => demoTrafficFromEnv({ KEYDECK_DEMO_TRAFFIC: 'busy' })).toThrow(/KEYDECK_DEMO_TRAFFIC must be calls per minute/);
    expect(() => startDemoTraffic({ config: demoConfig('demo'), env: { KEYDECK_DEMO_TRAFFIC: '-3' } })).toThrow(/KEYDECK_DEMO_TRAFFIC/);
  });
});
