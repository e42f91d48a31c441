/**
 * Live traffic in the console's own demo server: the demo account's applications keep calling the
 * in-process emulator (lib/emulator/traffic.ts) while the demo runs, so usage charts and CloudTrail move.
 * KEYDECK_DEMO_TRAFFIC is calls a minute (0 turns it off); started once per process, demo mode only.
 */
import 'server-only';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { getConfig, type Config } from '@/lib/config';
import type { Emulator } from '@/lib/emulator';
import { demoIdentity } from '@/lib/emulator/identities';
import { startTraffic, type Traffic } from '@/lib/emulator/traffic';
import { sharedEmulator } from './shared-emulator';

/** Modest: a call every few seconds, enough for charts to move, little for the machine. */
export const DEFAULT_DEMO_TRAFFIC = 20;

/** KEYDECK_DEMO_TRAFFIC: calls a minute, a number ≥ 0 (0 = off); anything else is refused with the variable's name. */
export function demoTrafficFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.KEYDECK_DEMO_TRAFFIC;
  if (raw === undefined || raw.trim() === '') return DEFAULT_DEMO_TRAFFIC;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 60_000) throw new Error(`KEYDECK_DEMO_TRAFFIC must be calls per minute between 0 (off) and 60000, not '${raw}'`);
  return n;
}

// On globalThis like the emulator itself, so Next's separately bundled routes and dev reloads share one generator.
const HOLDER = Symbol.for('keydeck.demo-traffic');
type Holder = { [HOLDER]?: Promise<Traffic | undefined> };

export interface DemoTrafficOptions {
  config?: Config;
  env?: Record<string, string | undefined>;
  /** Default: the process's shared emulator (lib/aws/shared-emulator.ts). */
  emulator?: Emulator;
  random?: () => number;
}

/**
 * Starts the demo traffic once per process when the console runs in demo mode over a seeded demo account
 * (on an empty data dir the applications' keys do not exist, and every call would fail). Its timers never
 * keep the process alive. Resolves to the running traffic, or undefined when it is off.
 */
export function startDemoTraffic({ config = getConfig(), env = process.env, emulator, random }: DemoTrafficOptions = {}): Promise<Traffic | undefined> {
  const holder = globalThis as Holder;
  if (holder[HOLDER]) return holder[HOLDER];
  if (config.mode !== 'demo') return Promise.resolve(undefined);
  const perMinute = demoTrafficFromEnv(env);
  if (perMinute === 0) return Promise.resolve(undefined);
  const target = emulator ?? sharedEmulator(config.dataDir);
  const started = (async () => {
    const app = demoIdentity('assumed-role/app');
    const probe = target.kmsClient({ region: config.region, accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey, userAgent: 'demo-app/checkout-service' });
    try {
      await probe.send(new DescribeKeyCommand({ KeyId: 'alias/payments/card-data' }));
    } catch {
      return undefined; // not the demo account (yet): no traffic
    }
    return startTraffic({ emulator: target, perMinute, home: config.region, random });
  })();
  holder[HOLDER] = started;
  return started;
}

/** Stops the demo traffic if it runs (tests; a server simply exits). */
export async function stopDemoTraffic(): Promise<void> {
  const holder = globalThis as Holder;
  const running = holder[HOLDER];
  delete holder[HOLDER];
  (await running)?.stop();
}
