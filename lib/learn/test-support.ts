/** Test helpers: /learn's clients over an in-process emulator, one SDK client per identity and Region. */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Emulator } from '@/lib/emulator';
import { identityOf, type LearnClients } from './runtime';
import type { LearnIdentity } from './types';

export function emulatorClients(emulator: Emulator): LearnClients {
  const kms = new Map<string, KMSClient>();
  const trails = new Map<string, CloudTrailClient>();
  const options = (region: string, as: LearnIdentity) => {
    const { accessKeyId, secretAccessKey } = identityOf(as);
    return { region, accessKeyId, secretAccessKey };
  };
  return {
    kms(region, as) {
      const id = `${region}/${as}`;
      if (!kms.has(id)) kms.set(id, emulator.kmsClient(options(region, as)));
      return kms.get(id)!;
    },
    cloudtrail(region, as) {
      const id = `${region}/${as}`;
      if (!trails.has(id)) trails.set(id, emulator.cloudTrailClient(options(region, as)));
      return trails.get(id)!;
    },
  };
}
