/** The one place that builds AWS SDK clients: for real AWS in aws mode, wired to the emulator in demo mode. */
import 'server-only';
import { KMSClient } from '@aws-sdk/client-kms';
import { getConfig, type Config } from '@/lib/config';
import { sharedEmulator } from './shared-emulator';

export interface ClientContext {
  region: string;
}

export interface Clients {
  kms: KMSClient;
}

// Clients are reusable and hold connection pools and cached credentials, so build each one once.
const cache = new Map<string, Clients>();

/** The SDK clients for `context`; identical classes in both modes, so callers cannot tell them apart. */
export function clientsFor(context: ClientContext, config: Config = getConfig()): Clients {
  const cacheKey = `${config.mode}:${config.dataDir}:${context.region}`;
  let clients = cache.get(cacheKey);
  if (!clients) {
    clients =
      config.mode === 'demo'
        ? { kms: sharedEmulator(config.dataDir).kmsClient({ region: context.region }) }
        : // The default credential chain: environment, shared config/SSO, container or instance role.
          { kms: new KMSClient({ region: context.region }) };
    cache.set(cacheKey, clients);
  }
  return clients;
}
