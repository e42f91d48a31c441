/**
 * CloudTrail history for the demo account: ninety days of the account's applications calling KMS — daily
 * and weekly cycles, a nightly batch, bursts with some throttling, refused calls, several callers and user
 * agents, on the demo's real keys — written straight into the emulator's trail as records made by the same
 * builder as live calls (`kmsEvents`), so their shape cannot drift. Deterministic from a seed, and fast:
 * no call goes through the crypto path. Consistent with the keys: no event before a key exists, calls on a
 * disabled key fail with DisabledException, keys waiting for material are not used.
 */
import { DescribeKeyCommand, paginateListAliases, type KMSClient } from '@aws-sdk/client-kms';
import { denialMessage } from './authorize';
import { kmsEvents, type TrailEvent } from './cloudtrail';
import { DEMO_ACCOUNT, PARTNER_ACCOUNT, type Identity } from './identities';
import type { Emulator, LastUsage } from './index';

/** About a million events over 90 days: what the demo seeds unless KEYDECK_DEMO_HISTORY_EVENTS says otherwise. */
export const DEFAULT_HISTORY_EVENTS = 1_000_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** KMS's ThrottlingException, in its words (developer guide, "Throttling AWS KMS requests": docs.aws.amazon.com/kms/latest/developerguide/throttling.html). */
const THROTTLED = 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.';

/** A deterministic pseudo-random sequence (mulberry32): 32-bit integers. */
export function random32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
/** A version-4 UUID from the sequence, so event and request ids are the same on every run. */
function uuid(next: () => number): string {
  const a = hex8(next());
  const b = hex8(next());
  const c = hex8(next());
  const d = hex8(next());
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[parseInt(c[0], 16) & 3]}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

/** A demo key as the history needs it, read through the KMS API. */
export interface HistoryKey {
  alias: string;
  region: string;
  arn: string;
  state: string;
  spec: string;
  usage: string;
  created: number;
}

/** Every aliased key of the demo account in `regions`, with its state now. */
export async function demoKeys(kmsIn: (region: string) => KMSClient, regions: readonly string[]): Promise<HistoryKey[]> {
  const keys: HistoryKey[] = [];
  for (const region of regions) {
    const kms = kmsIn(region);
    for await (const page of paginateListAliases({ client: kms }, { Limit: 100 })) {
      for (const alias of page.Aliases ?? []) {
        if (!alias.TargetKeyId || alias.AliasName?.startsWith('alias/aws/')) continue;
        const { KeyMetadata: m } = await kms.send(new DescribeKeyCommand({ KeyId: alias.TargetKeyId }));
        if (!m?.Arn) continue;
        keys.push({ alias: alias.AliasName!, region, arn: m.Arn, state: m.KeyState ?? 'Enabled', spec: m.KeySpec ?? 'SYMMETRIC_DEFAULT', usage: m.KeyUsage ?? 'ENCRYPT_DECRYPT', created: m.CreationDate?.getTime() ?? 0 });
      }
    }
  }
  return keys;
}

// ---- the applications ------------------------------------------------------------------------

type Caller = (day: number) => Identity;

/** An application's caller: a role session whose temporary access key changes every day, as refreshed credentials do. */
function roleSession(role: string, session: string): Caller {
  const cache = new Map<number, Identity>();
  return (day) => {
    let identity = cache.get(day);
    if (!identity) {
      let h = 2166136261;
      for (const ch of `${session}/${day}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
      const next = random32(h);
      const key = Array.from({ length: 16 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[next() & 31]).join('');
      identity = { accountId: DEMO_ACCOUNT, arn: `arn:aws:sts::${DEMO_ACCOUNT}:assumed-role/${role}/${session}`, accessKeyId: `ASIA${key}`, secretAccessKey: '', policies: [], description: '' };
      cache.set(day, identity);
    }
    return identity;
  };
}

function user(account: string, name: string, accessKeyId: string): Caller {
  const identity: Identity = { accountId: account, arn: `arn:aws:iam::${account}:user/${name}`, accessKeyId, secretAccessKey: '', policies: [], description: '' };
  return () => identity;
}

const UA = {
  java: 'aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  go: 'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/kms#1.35.3',
  js: 'aws-sdk-js/3.620.0 ua/2.1 os/linux#5.10.219-208.866.amzn2.x86_64 lang/js md/nodejs#20.15.1 api/kms#3.620.0',
  python: 'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144',
  cli: (command: string) => `aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.97 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${command}`,
};

/** The share of an application's calls made in an hour: a function of the UTC hour and the day of the week (0 = Sunday). */
type Shape = (hour: number, weekday: number) => number;
const business: Shape = (hour, weekday) => Math.max(0.06, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) * (weekday === 0 || weekday === 6 ? 0.3 : 1);
const allDay: Shape = (hour, weekday) => (0.65 + 0.35 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)) * (weekday === 0 || weekday === 6 ? 0.8 : 1);
const nightly: Shape = (hour) => (hour === 2 ? 1 : hour === 3 ? 0.35 : 0.01);
const mondayMorning: Shape = (hour, weekday) => (weekday === 1 && hour >= 9 && hour < 11 ? 1 : 0.004);

interface Call {
  weight: number;
  key: HistoryKey;
  operation: string;
  request: Record<string, unknown>;
  /** A refused call: AccessDenied with the policy that refused it. */
  denied?: { deny: boolean; policy: 'identity-based' | 'resource-based' };
}

interface App {
  name: string;
  caller: Caller;
  userAgent: string;
  sourceIp: string;
  /** Relative volume. */
  share: number;
  shape: Shape;
  /** A share of its calls are throttled when it bursts. */
  throttles?: boolean;
  calls: Call[];
}

const symmetricUse = (key: HistoryKey, context?: Record<string, string>): Call[] => [
  { weight: 3, key, operation: 'Encrypt', request: { KeyId: key.alias, EncryptionContext: context } },
  { weight: 4, key, operation: 'Decrypt', request: { EncryptionContext: context } },
  { weight: 3, key, operation: 'GenerateDataKey', request: { KeyId: key.alias, KeySpec: 'AES_256', EncryptionContext: context } },
];

function useOf(key: HistoryKey): Call[] {
  if (key.usage === 'SIGN_VERIFY') {
    const SigningAlgorithm = key.spec.startsWith('ECC') ? 'ECDSA_SHA_256' : 'RSASSA_PSS_SHA_256';
    return [
      { weight: 3, key, operation: 'Sign', request: { KeyId: key.alias, MessageType: 'RAW', SigningAlgorithm } },
      { weight: 1, key, operation: 'Verify', request: { KeyId: key.alias, MessageType: 'RAW', SigningAlgorithm } },
    ];
  }
  if (key.usage === 'GENERATE_VERIFY_MAC') {
    return [
      { weight: 3, key, operation: 'GenerateMac', request: { KeyId: key.alias, MacAlgorithm: 'HMAC_SHA_256' } },
      { weight: 2, key, operation: 'VerifyMac', request: { KeyId: key.alias, MacAlgorithm: 'HMAC_SHA_256' } },
    ];
  }
  if (key.usage === 'ENCRYPT_DECRYPT' && key.spec === 'SYMMETRIC_DEFAULT') return symmetricUse(key);
  return [];
}

/** The demo's applications, on the keys that exist (an alias that is missing just leaves its calls out). */
export function demoApplications(keys: HistoryKey[], home: string): App[] {
  const find = (alias: string, region = home) => keys.find((k) => k.alias === alias && k.region === region);
  const calls = (...list: (Call[] | Call | undefined | false)[]) => list.flat().filter((c): c is Call => !!c);
  const when = <T>(key: HistoryKey | undefined, make: (key: HistoryKey) => T) => (key ? make(key) : undefined);
  const apps: App[] = [];
  const card = find('alias/payments/card-data');
  const tokens = find('alias/payments/tokens');
  apps.push({
    name: 'checkout',
    caller: roleSession('app', 'checkout'),
    userAgent: UA.java,
    sourceIp: '10.0.12.41',
    share: 22,
    shape: business,
    throttles: true,
    calls: calls(
      when(card, (k) => ({ weight: 5, key: k, operation: 'Encrypt', request: { KeyId: k.alias, EncryptionContext: { app: 'checkout' } } })),
      when(card, (k) => ({ weight: 5, key: k, operation: 'Decrypt', request: { EncryptionContext: { app: 'checkout' } } })),
      when(tokens, (k) => ({ weight: 4, key: k, operation: 'GenerateDataKey', request: { KeyId: k.alias, KeySpec: 'AES_256' } })),
    ),
  });
  const orderKeys = keys.filter((k) => k.alias === 'alias/global/orders');
  apps.push({
    name: 'orders',
    caller: roleSession('app', 'orders'),
    userAgent: UA.go,
    sourceIp: '10.0.33.8',
    share: 14,
    shape: allDay,
    calls: orderKeys.flatMap((k) => [
      { weight: k.region === home ? 3 : 2, key: k, operation: 'GenerateDataKey', request: { KeyId: k.alias, KeySpec: 'AES_256', EncryptionContext: { service: 'orders' } } },
      { weight: k.region === home ? 4 : 3, key: k, operation: 'Decrypt', request: { KeyId: k.alias, EncryptionContext: { service: 'orders' } } },
    ]),
  });
  const jwt = find('alias/identity/jwt');
  const hooks = find('alias/webhooks/hmac');
  apps.push({
    name: 'identity',
    caller: roleSession('app', 'identity-api'),
    userAgent: UA.js,
    sourceIp: '10.0.7.19',
    share: 12,
    shape: business,
    calls: calls(
      when(jwt, (k) => ({ weight: 5, key: k, operation: 'Sign', request: { KeyId: k.alias, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' } })),
      when(jwt, (k) => ({ weight: 1, key: k, operation: 'GetPublicKey', request: { KeyId: k.alias } })),
    ),
  });
  apps.push({ name: 'webhooks', caller: roleSession('app', 'webhooks'), userAgent: UA.js, sourceIp: '10.0.7.52', share: 6, shape: allDay, calls: calls(when(hooks, (k) => ({ weight: 1, key: k, operation: 'GenerateMac', request: { KeyId: k.alias, MacAlgorithm: 'HMAC_SHA_256' } }))) });
  const hr = find('alias/hr/records');
  apps.push({
    name: 'hr',
    caller: roleSession('app', 'hr-payroll'),
    userAgent: UA.python,
    sourceIp: '10.0.44.3',
    share: 3,
    shape: business,
    calls: calls(
      when(hr, (k) => symmetricUse(k, { department: 'hr' })),
      // The payroll export forgets the HR encryption context now and then: the key policy's Deny refuses it.
      when(hr, (k) => ({ weight: 0.4, key: k, operation: 'Encrypt', request: { KeyId: k.alias }, denied: { deny: true, policy: 'resource-based' } })),
    ),
  });
  // The nightly backup job: a burst at 02:00 UTC over every team's backup keys in every Region, some of it throttled.
  const backups = keys.filter((k) => /\/backups-(prod|staging)/.test(k.alias) && k.spec === 'SYMMETRIC_DEFAULT');
  apps.push({
    name: 'backup',
    caller: roleSession('app', 'backup-job'),
    userAgent: UA.cli('kms.generate-data-key'),
    sourceIp: '10.0.90.14',
    share: 16,
    shape: nightly,
    throttles: true,
    calls: backups.map((k) => ({ weight: 1, key: k, operation: 'GenerateDataKey', request: { KeyId: k.alias, KeySpec: 'AES_256', EncryptionContext: { job: 'nightly-backup' } } })),
  });
  // Each team's service on its own fleet keys (alias/<team>/<purpose>-<env>) in every Region.
  const fleet = keys.filter((k) => /-(prod|staging)(-2)?$/.test(k.alias) && !k.alias.includes('/backups-'));
  const teams = [...new Set(fleet.map((k) => k.alias.split('/')[1]))].sort();
  const agents = [UA.java, UA.go, UA.python, UA.js];
  teams.forEach((team, i) => {
    const own = fleet.filter((k) => k.alias.startsWith(`alias/${team}/`));
    apps.push({
      name: `${team}-service`,
      caller: roleSession('app', `${team}-service`),
      userAgent: agents[i % agents.length],
      sourceIp: `10.0.${100 + i}.${20 + i}`,
      share: 3,
      shape: i % 2 === 0 ? business : allDay,
      calls: own.flatMap((k) => useOf(k).map((c) => ({ ...c, weight: c.weight * (k.alias.includes('-staging') ? 0.3 : 1) }))),
    });
  });
  // The auditor's weekly review on Monday morning, and its misconfigured job that tries to use a key (refused).
  const secrets = find('alias/platform/secrets');
  apps.push({
    name: 'audit',
    caller: user(DEMO_ACCOUNT, 'auditor', 'AKIAAUDITOR00000001'),
    userAgent: UA.cli('kms.describe-key'),
    sourceIp: '203.0.113.25',
    share: 1.5,
    shape: mondayMorning,
    calls: keys
      .filter((k) => k.region === home)
      .flatMap((k) => [
        { weight: 2, key: k, operation: 'DescribeKey', request: { KeyId: k.arn } },
        { weight: 1, key: k, operation: 'GetKeyPolicy', request: { KeyId: k.arn, PolicyName: 'default' } },
      ]),
  });
  apps.push({
    name: 'audit-export',
    caller: user(DEMO_ACCOUNT, 'auditor', 'AKIAAUDITOR00000001'),
    userAgent: UA.python,
    sourceIp: '203.0.113.25',
    share: 0.6,
    shape: allDay,
    calls: calls(when(secrets, (k) => ({ weight: 1, key: k, operation: 'Encrypt', request: { KeyId: k.alias }, denied: { deny: false, policy: 'identity-based' } }))),
  });
  // Someone keeps trying the disabled staging keys.
  const disabled = keys.filter((k) => k.state === 'Disabled');
  apps.push({ name: 'admin', caller: user(DEMO_ACCOUNT, 'admin', 'test'), userAgent: UA.cli('kms.encrypt'), sourceIp: '198.51.100.7', share: 0.3, shape: business, calls: disabled.map((k) => ({ weight: 1, key: k, operation: 'Encrypt', request: { KeyId: k.alias } })) });
  // The partner account exchanges files with the shared key: each call is in both accounts' trails.
  const partner = find('alias/shared/partner-exchange');
  apps.push({
    name: 'partner',
    caller: user(PARTNER_ACCOUNT, 'admin', 'partner'),
    userAgent: UA.cli('kms.encrypt'),
    sourceIp: '192.0.2.44',
    share: 1.5,
    shape: business,
    calls: calls(
      when(partner, (k) => ({ weight: 2, key: k, operation: 'Encrypt', request: { KeyId: k.arn } })),
      when(partner, (k) => ({ weight: 1, key: k, operation: 'Decrypt', request: { KeyId: k.arn } })),
    ),
  });
  // A retiring report pipeline that tapers off (its key is scheduled for deletion when the demo starts).
  const legacy = find('alias/legacy/reports');
  apps.push({ name: 'reports', caller: roleSession('app', 'reports-legacy'), userAgent: UA.java, sourceIp: '10.0.61.9', share: 1, shape: nightly, calls: calls(when(legacy, (k) => symmetricUse(k))) });
  // Keys waiting for imported material cannot be used; the history leaves them out rather than fail every call.
  for (const app of apps) app.calls = app.calls.filter((c) => c.key.state !== 'PendingImport');
  return apps.filter((app) => app.calls.length > 0);
}

// ---- the generator ---------------------------------------------------------------------------

export interface HistoryOptions {
  /** Keys of the demo account (demoKeys) and its home Region. */
  keys: HistoryKey[];
  home: string;
  /** The history covers (end − days, end]. */
  end: number;
  days: number;
  /** About how many events to write. */
  events: number;
  seed?: number;
  /** Where the events go, in batches (the emulator's `recordEvents`). */
  write(events: TrailEvent[]): void;
}

export interface HistoryResult {
  events: number;
  /** The newest successful cryptographic use of each key: for GetKeyLastUsage. */
  lastUse: Map<string, LastUsage>;
}

const CRYPTO = new Set(['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret']);
const NO_BLOBS: ReadonlySet<string> = new Set();

/** Writes about `events` events over the period, hour by hour, each hour's events in time order. */
export function generateHistory({ keys, home, end, days, events: target, seed = 20261123, write }: HistoryOptions): HistoryResult {
  const next = random32(seed);
  const rand = () => next() / 4294967296;
  const apps = demoApplications(keys, home);
  const firstHour = Math.ceil((end - days * DAY) / HOUR) * HOUR;
  const hours: number[] = [];
  for (let h = firstHour; h < end; h += HOUR) hours.push(h);
  // Bursts: a few hours when one application calls several times its usual rate (a sale, a reindex, a retry storm).
  const bursts = new Map<string, number>();
  for (let i = 0; i < Math.max(1, Math.round(days / 8)); i++) {
    const app = apps[Math.floor(rand() * apps.length)];
    const at = hours[Math.floor(rand() * hours.length)];
    const length = 1 + Math.floor(rand() * 3);
    const factor = 4 + rand() * 6;
    for (let h = 0; h < length; h++) bursts.set(`${app.name}@${at + h * HOUR}`, factor);
  }
  const intensity = (app: App, hour: number) => {
    const d = new Date(hour);
    return app.share * app.shape(d.getUTCHours(), d.getUTCDay()) * (bursts.get(`${app.name}@${hour}`) ?? 1);
  };
  let total = 0;
  for (const hour of hours) for (const app of apps) total += intensity(app, hour);
  const scale = total > 0 ? target / total : 0;
  const cumulative = apps.map((app) => {
    let sum = 0;
    return app.calls.map((c) => (sum += c.weight));
  });

  const lastUse: HistoryResult['lastUse'] = new Map();
  let written = 0;
  let batch: TrailEvent[] = [];
  const newEventId = () => uuid(next);
  for (const hour of hours) {
    const day = Math.floor(hour / DAY);
    const planned: { time: number; app: number; call: Call }[] = [];
    apps.forEach((app, a) => {
      const level = intensity(app, hour);
      const expected = scale * level * (0.85 + 0.3 * rand());
      const n = Math.floor(expected) + (rand() < expected % 1 ? 1 : 0);
      const weights = cumulative[a];
      const sum = weights[weights.length - 1];
      for (let i = 0; i < n; i++) {
        const time = hour + Math.floor(rand() * HOUR);
        const r = rand() * sum;
        let c = 0;
        while (weights[c] <= r) c++;
        planned.push({ time, app: a, call: app.calls[c] });
      }
    });
    planned.sort((x, y) => x.time - y.time);
    for (const { time, app: a, call } of planned) {
      // No event before its key existed (a minute after, at the earliest), none after the end.
      if (time <= call.key.created + 60_000 || time > end) continue;
      const app = apps[a];
      const caller = app.caller(day);
      let errorCode: string | undefined;
      let errorMessage: string | undefined;
      if (call.key.state === 'Disabled' && CRYPTO.has(call.operation)) {
        errorCode = 'DisabledException';
        errorMessage = `${call.key.arn} is disabled.`;
      } else if (call.denied) {
        errorCode = 'AccessDeniedException';
        errorMessage = denialMessage(caller.arn, `kms:${call.operation}`, call.key.arn, call.denied);
      } else if (app.throttles && (bursts.get(`${app.name}@${hour}`) ?? 1) > 1 && rand() < 0.06) {
        errorCode = 'ThrottlingException';
        errorMessage = THROTTLED;
      } else if (app.throttles && app.shape === nightly && new Date(hour).getUTCHours() === 2 && rand() < 0.015) {
        errorCode = 'ThrottlingException';
        errorMessage = THROTTLED;
      }
      const requestId = uuid(next);
      const made = kmsEvents({
        caller,
        region: call.key.region,
        time,
        operation: call.operation,
        requestId,
        sourceIp: app.sourceIp,
        userAgent: app.userAgent,
        request: call.request,
        blobMembers: NO_BLOBS,
        errorCode,
        errorMessage,
        keys: [call.key.arn],
        newEventId,
      });
      if (!errorCode && CRYPTO.has(call.operation)) lastUse.set(call.key.arn, { operation: call.operation as LastUsage['operation'], at: time, requestId });
      for (const e of made) batch.push(e);
      if (batch.length >= 1000) {
        write(batch);
        written += batch.length;
        batch = [];
      }
    }
  }
  if (batch.length > 0) write(batch);
  written += batch.length;
  return { events: written, lastUse };
}

/** The demo's history size: KEYDECK_DEMO_HISTORY_EVENTS (a whole number, 0 for none), else about a million. */
export function historyEventsFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.KEYDECK_DEMO_HISTORY_EVENTS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_HISTORY_EVENTS;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`KEYDECK_DEMO_HISTORY_EVENTS must be a whole number of events (0 for none), not '${raw}'`);
  return n;
}

/** Seeds the history into an emulator: its demo keys read through the API, the events into its trail. */
export async function seedDemoHistory(emulator: Emulator, options: { regions: readonly string[]; home: string; end: number; days: number; events: number; seed?: number }): Promise<number> {
  if (options.events <= 0) return 0;
  const keys = await demoKeys((region) => emulator.kmsClient({ region }), options.regions);
  const { events, lastUse } = emulator.bulkEvents(() => generateHistory({ ...options, keys, write: (batch) => emulator.recordEvents(batch) }));
  for (const [arn, use] of lastUse) emulator.recordUsage(arn, use);
  return events;
}
