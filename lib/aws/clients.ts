/** The one place that builds AWS SDK clients: for real AWS in aws mode, wired to the emulator in demo mode. */
import 'server-only';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { recordRequestIds } from '@/lib/audit/context';
import { getConfig, type AccountConfig, type Config } from '@/lib/config';
import { inProcessHandler } from './in-process-handler';
import { refreshingCredentials } from './refreshing-credentials';
import { sharedEmulator } from './shared-emulator';
import { KEYDECK_USER_AGENT } from './user-agent';

export interface ClientContext {
  region: string;
  /** The account's name (`Scope.account`); default: the first configured account. */
  account?: string;
}

export interface Clients {
  kms: KMSClient;
  cloudtrail: CloudTrailClient;
}

/** The session name of every role Keydeck assumes, so CloudTrail shows its calls as `…/assumed-role/<role>/keydeck`. */
export const ROLE_SESSION_NAME = 'keydeck';

// Clients are reusable and hold connection pools and cached credentials, so build each one once.
const cache = new Map<string, Clients>();
const stsCache = new Map<string, STSClient>();
const credentialCache = new Map<string, AwsCredentialIdentityProvider>();

/** The configured account named `name` (the default one when absent); an unknown name is a caller's bug. */
export function accountFor(name: string | undefined, config: Config = getConfig()): AccountConfig {
  if (name === undefined) return config.accounts[0];
  const account = config.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`No account named '${name}' is configured (KEYDECK_ACCOUNTS).`);
  return account;
}

/**
 * The credentials of an account in aws mode: the standard chain (environment, shared config and SSO,
 * container or instance role) for the base identity, and for an account with a role, STS AssumeRole
 * from the base identity. Fetched once per process and refreshed five minutes before they expire.
 */
function credentialsFor(account: AccountConfig, config: Config): AwsCredentialIdentityProvider {
  const id = account.roleArn ?? '';
  let provider = credentialCache.get(id);
  if (!provider) {
    if (!account.roleArn) {
      provider = refreshingCredentials(fromNodeProviderChain());
    } else {
      provider = refreshingCredentials(
        fromTemporaryCredentials({
          masterCredentials: credentialsFor({ name: 'base' }, config),
          params: { RoleArn: account.roleArn, RoleSessionName: ROLE_SESSION_NAME },
          clientConfig: { region: config.region, customUserAgent: KEYDECK_USER_AGENT },
        }),
      );
    }
    credentialCache.set(id, provider);
  }
  return provider;
}

/** The SDK clients for `context`; identical classes in both modes, so callers cannot tell them apart. */
export function clientsFor(context: ClientContext, config: Config = getConfig()): Clients {
  const account = config.mode === 'demo' ? undefined : accountFor(context.account, config);
  const cacheKey = `${config.mode}:${config.dataDir}:${account?.name ?? '-'}:${context.region}`;
  let clients = cache.get(cacheKey);
  if (!clients) {
    if (config.mode === 'demo') {
      const emulator = sharedEmulator(config.dataDir);
      const options = { region: context.region, userAgent: KEYDECK_USER_AGENT };
      clients = { kms: emulator.kmsClient(options), cloudtrail: emulator.cloudTrailClient(options) };
    } else {
      // AWS_ENDPOINT_URL (the SDK's own variable) still points every client at another endpoint, such as the standalone emulator.
      const credentials = credentialsFor(account!, config);
      const options = { region: context.region, credentials, customUserAgent: KEYDECK_USER_AGENT };
      clients = { kms: new KMSClient(options), cloudtrail: new CloudTrailClient(options) };
    }
    recordRequestIds(clients.kms); // The audit log records each action's AWS request ids (lib/audit/context.ts).
    recordRequestIds(clients.cloudtrail);
    cache.set(cacheKey, clients);
  }
  return clients;
}

/** An STS client for `context` (GetCallerIdentity on Settings), with the same credentials as its KMS client. */
export function stsFor(context: ClientContext, config: Config = getConfig()): STSClient {
  const account = config.mode === 'demo' ? undefined : accountFor(context.account, config);
  const cacheKey = `${config.mode}:${config.dataDir}:${account?.name ?? '-'}:${context.region}`;
  let client = stsCache.get(cacheKey);
  if (!client) {
    if (config.mode === 'demo') {
      const emulator = sharedEmulator(config.dataDir);
      client = new STSClient({
        region: context.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        endpoint: 'http://sts.emulator.internal',
        maxAttempts: 1,
        requestHandler: inProcessHandler(emulator.dispatch),
        customUserAgent: KEYDECK_USER_AGENT,
      });
    } else {
      client = new STSClient({ region: context.region, credentials: credentialsFor(account!, config), customUserAgent: KEYDECK_USER_AGENT });
    }
    stsCache.set(cacheKey, client);
  }
  return client;
}
