/** The server's side of /learn: SDK clients per demo identity over the shared emulator, and who the learner is. */
import 'server-only';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { KMSClient } from '@aws-sdk/client-kms';
import { currentUser } from '@/lib/auth/session';
import { sharedEmulator } from '@/lib/aws/shared-emulator';
import { recordRequestIds } from '@/lib/audit/context';
import { KEYDECK_USER_AGENT } from '@/lib/aws/user-agent';
import { getConfig } from '@/lib/config';
import { sharedStore } from '@/lib/store/shared';
import { loadProgress } from './progress';
import { identityOf, type LearnClients } from './runtime';
import type { LearnIdentity, StepProgress } from './types';

const kms = new Map<string, KMSClient>();
const trails = new Map<string, CloudTrailClient>();

/**
 * Demo mode only: the scenarios act as several identities of the demo accounts (the app role, the auditor,
 * the partner account), so they sign with those identities' emulator credentials rather than the console's.
 * Like the console's own clients (lib/aws/clients.ts), each records its AWS request ids in the audit entry
 * of the server action it runs in.
 */
export function learnClients(): LearnClients {
  const config = getConfig();
  if (config.mode !== 'demo') throw new Error('The /learn scenarios run in demo mode only.');
  const emulator = sharedEmulator(config.dataDir);
  const options = (region: string, as: LearnIdentity) => ({ region, accessKeyId: identityOf(as).accessKeyId, secretAccessKey: identityOf(as).secretAccessKey, userAgent: KEYDECK_USER_AGENT });
  return {
    kms(region, as) {
      const id = `${config.dataDir}/${region}/${as}`;
      if (!kms.has(id)) {
        const client = emulator.kmsClient(options(region, as));
        recordRequestIds(client);
        kms.set(id, client);
      }
      return kms.get(id)!;
    },
    cloudtrail(region, as) {
      const id = `${config.dataDir}/${region}/${as}`;
      if (!trails.has(id)) {
        const client = emulator.cloudTrailClient(options(region, as));
        recordRequestIds(client);
        trails.set(id, client);
      }
      return trails.get(id)!;
    },
  };
}

/** Progress is saved per signed-in user; before sign-in exists (or in a console without it), everyone is `anonymous`. */
export async function learnerId(): Promise<string> {
  return (await currentUser())?.id ?? 'anonymous';
}

/** The learner's saved steps, without the state later steps use (that stays on the server). */
export async function learnerProgress(): Promise<StepProgress[]> {
  const store = await sharedStore();
  const rows = await loadProgress(store.db, await learnerId());
  return rows.map(({ scenario, step, status, reason, updatedAt }) => ({ scenario, step, status, reason, updatedAt }));
}
