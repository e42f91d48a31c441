/**
 * Live traffic for the demo: the demo account's applications keep calling KMS while the demo runs, so
 * usage charts move and CloudTrail has fresh events — including refused calls and a job that still uses a
 * key pending deletion. Every call is a real request through the SDK; failures are part of the show. The
 * callers are the demo applications' identities with their own user agents, never the console's (test/test).
 */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, GenerateMacCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DEMO_ACCOUNT, demoIdentity, PARTNER_ACCOUNT } from './identities';
import type { Emulator } from './index';

export interface TrafficOptions {
  emulator: Emulator;
  /** Average calls per minute (default 30). Intervals are exponential, like independent clients. */
  perMinute?: number;
  /** The home Region of the demo account (where demo-account.ts put its special keys). */
  home?: string;
  random?: () => number;
}

export interface Traffic {
  /** Calls made so far, refused ones included. */
  calls(): number;
  stop(): void;
}

type Action = (clients: Clients) => Promise<unknown>;

interface Clients {
  app: KMSClient;
  appIreland: KMSClient;
  auditor: KMSClient;
  partner: KMSClient;
  /** ARNs the partner calls by (it cannot use this account's aliases), looked up once by the app. */
  arns: Map<string, string>;
}

/** What each demo application's SDK appends to its user agent (the SDK's customUserAgent). */
export const TRAFFIC_USER_AGENTS = { app: 'demo-app/checkout-service', auditor: 'demo-app/audit-tool', partner: 'demo-app/partner-exchange' } as const;

const HOME_ARN = (home: string, keyId: string) => `arn:aws:kms:${home}:${DEMO_ACCOUNT}:${keyId}`;

/** What the demo's applications do, with weights: mostly encryption, some signing, a few mistakes. */
function actions(home: string): [number, Action][] {
  return [
    [30, async ({ app }) => {
      const context = { app: 'checkout' };
      const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId: 'alias/payments/card-data', Plaintext: Buffer.from('4111111111111111'), EncryptionContext: context }));
      return app.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    }],
    [20, ({ app }) => app.send(new GenerateDataKeyCommand({ KeyId: 'alias/payments/tokens', KeySpec: 'AES_256' }))],
    [12, ({ appIreland }) => appIreland.send(new GenerateDataKeyCommand({ KeyId: 'alias/global/orders', KeySpec: 'AES_256' }))],
    [10, ({ app }) => app.send(new SignCommand({ KeyId: 'alias/identity/jwt', Message: Buffer.from('session'), SigningAlgorithm: 'ECDSA_SHA_256' }))],
    [8, ({ app }) => app.send(new GenerateMacCommand({ KeyId: 'alias/webhooks/hmac', Message: Buffer.from('{"event":"paid"}'), MacAlgorithm: 'HMAC_SHA_256' }))],
    [6, ({ app }) => app.send(new EncryptCommand({ KeyId: 'alias/hr/records', Plaintext: Buffer.from('payslip'), EncryptionContext: { department: 'hr' } }))],
    [5, ({ auditor }) => auditor.send(new DescribeKeyCommand({ KeyId: 'alias/payments/card-data' }))],
    [4, async ({ partner, app, arns }) => {
      const alias = 'alias/shared/partner-exchange';
      let arn = arns.get(alias);
      if (!arn) {
        const { KeyMetadata } = await app.send(new DescribeKeyCommand({ KeyId: alias }));
        arn = KeyMetadata?.Arn ?? HOME_ARN(home, alias);
        arns.set(alias, arn);
      }
      return partner.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('invoice') }));
    }],
    // Mistakes a console should surface: no encryption context on the HR key (denied), the auditor
    // trying to use a key (denied), and a forgotten job still calling a key pending deletion.
    [2, ({ app }) => app.send(new EncryptCommand({ KeyId: 'alias/hr/records', Plaintext: Buffer.from('payslip') }))],
    [2, ({ auditor }) => auditor.send(new EncryptCommand({ KeyId: 'alias/platform/secrets', Plaintext: Buffer.from('x') }))],
    [1, ({ app }) => app.send(new EncryptCommand({ KeyId: 'alias/legacy/reports', Plaintext: Buffer.from('report') }))],
  ];
}

/** Starts the traffic; it runs until `stop()`, never keeping the process alive on its own. */
export function startTraffic({ emulator, perMinute = 30, home = 'us-east-1', random = Math.random }: TrafficOptions): Traffic {
  const as = (arnPart: string, userAgent: string, region = home) => {
    const identity = demoIdentity(arnPart);
    return emulator.kmsClient({ region, accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, userAgent });
  };
  const clients: Clients = {
    app: as('assumed-role/app', TRAFFIC_USER_AGENTS.app),
    appIreland: as('assumed-role/app', TRAFFIC_USER_AGENTS.app, home === 'eu-west-1' ? 'us-east-1' : 'eu-west-1'),
    auditor: as('user/auditor', TRAFFIC_USER_AGENTS.auditor),
    partner: as(`${PARTNER_ACCOUNT}:user/admin`, TRAFFIC_USER_AGENTS.partner),
    arns: new Map(),
  };
  const table = actions(home);
  const total = table.reduce((sum, [weight]) => sum + weight, 0);
  let calls = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const pick = (): Action => {
    let r = random() * total;
    for (const [weight, action] of table) if ((r -= weight) < 0) return action;
    return table[0][1];
  };
  const next = () => {
    if (stopped) return;
    const meanMs = 60_000 / perMinute;
    timer = setTimeout(() => {
      calls++;
      pick()(clients)
        .catch(() => undefined) // refused and failed calls are recorded by CloudTrail: that is the point
        .finally(next);
    }, -Math.log(1 - random()) * meanMs);
    timer.unref();
  };
  next();
  return {
    calls: () => calls,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
