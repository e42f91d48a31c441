/** The one place that builds AWS SDK clients: for real AWS in aws mode, wired to the emulator in demo mode. */
import 'server-only';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { KMSClient } from '@aws-sdk/client-kms';
import { getConfig, type Config } from '@/lib/config';
import { sharedEmulator } from './shared-emulator';

export interface ClientContext {
  region: string;
}

export interface Clients {
  kms: KMSClient;
  cloudtrail: CloudTrailClient;
}

// Clients are reusable and hold connection pools and cached credentials, so build each one once.
const cache = new Map<string, Clients>();

/** The SDK clients for `context`; identical classes in both modes, so callers cannot tell them apart. */
export function clientsFor(context: ClientContext, config: Config = getConfig()): Clients {
  const cacheKey = `${config.mode}:${config.dataDir}:${context.region}`;
  let clients = cache.get(cacheKey);
  if (!clients) {
    if (config.mode === 'demo') {
      const emulator = sharedEmulator(config.dataDir);
      clients = { kms: emulator.kmsClient({ region: context.region }), cloudtrail: emulator.cloudTrailClient({ region: context.region }) };
    } else {
      // The default credential chain: environment, shared config/SSO, container or instance role.
      clients = { kms: new KMSClient({ region: context.region }), cloudtrail: new CloudTrailClient({ region: context.region }) };
    }
    cache.set(cacheKey, clients);
  }
  return clients;
}
