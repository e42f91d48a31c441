'use server';
/** The usage page's one write: start a CloudTrail sync of a Region now (it runs in the background). */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { consoleContext } from '@/lib/kms/scope';
import { RATE_LIMITS } from '@/lib/security/rate-limit';
import { syncNow } from '@/lib/usage/sync-job';

export const syncUsageNowAction = defineAction({
  name: 'SyncUsage',
  role: 'viewer',
  input: z.object({ region: z.string().refine((r) => consoleContext().regions.includes(r), { error: 'must be one of the console’s Regions' }) }),
  // Anyone may start a sync, so a Region's syncs are limited whoever asks.
  rateLimit: { rule: RATE_LIMITS.syncUsage, key: ({ region }) => region, what: 'usage syncs of this Region' },
  run: async ({ region }) => {
    void syncNow(region);
    return { started: true };
  },
});
