/** The Settings page's live checks: who each account's credentials resolve to (STS), and which regions' KMS answers. */
import 'server-only';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { getConfig, type Config } from '@/lib/config';
import { errorInfo } from '@/lib/kms/inventory';
import { consoleContext } from '@/lib/kms/scope';
import { clientsFor, stsFor } from './clients';
import type { AccountStatus, RegionHealth, SettingsStatus } from './settings-types';

/** A region that does not answer within this long counts as down (the SDK would otherwise wait for its own timeouts). */
const CHECK_TIMEOUT_MS = 5_000;

const withTimeout = () => AbortSignal.timeout(CHECK_TIMEOUT_MS);

async function regionHealth(account: string, region: string, config: Config): Promise<RegionHealth> {
  const { kms } = clientsFor({ account, region }, config);
  let started = performance.now();
  try {
    // Credentials first (an AssumeRole, the first time), so the latency is KMS's alone.
    await kms.config.credentials();
    started = performance.now();
    await kms.send(new ListKeysCommand({ Limit: 1 }), { abortSignal: withTimeout() });
    return { region, ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { region, ok: false, ms: Math.round(performance.now() - started), error: errorInfo(error) };
  }
}

/** Checks every configured account in every region, all at once. */
export async function settingsStatus(config: Config = getConfig()): Promise<SettingsStatus> {
  const context = consoleContext();
  const accounts = await Promise.all(
    context.accounts.map(async (account): Promise<AccountStatus> => {
      const status: AccountStatus = { name: account.name, accountId: account.accountId, roleArn: account.roleArn, regions: [] };
      const [identity, regions] = await Promise.all([
        stsFor({ account: account.name, region: context.defaultRegion }, config)
          .send(new GetCallerIdentityCommand({}), { abortSignal: withTimeout() })
          .then(
            (out) => ({ account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' }),
            (error: unknown) => {
              status.identityError = errorInfo(error);
              return undefined;
            },
          ),
        Promise.all(context.regions.map((region) => regionHealth(account.name, region, config))),
      ]);
      return { ...status, identity, regions };
    }),
  );
  return {
    mode: context.mode,
    checkedAt: Date.now(),
    regions: context.regions,
    defaultRegion: context.defaultRegion,
    dataDir: context.mode === 'demo' ? config.dataDir : undefined,
    endpointUrl: context.mode === 'aws' ? process.env.AWS_ENDPOINT_URL || undefined : undefined,
    accounts,
  };
}
