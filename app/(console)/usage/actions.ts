'use server';
/** The usage page's one write: start a CloudTrail sync of an account-region now (it runs in the background). */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { consoleContext } from '@/lib/kms/scope';
import { RATE_LIMITS } from '@/lib/security/rate-limit';
import { syncNow } from '@/lib/usage/sync-job';
import { usageSyncEnabled } from '@/lib/usage/sync-window';

export const syncUsageNowAction = defineAction({
  name: 'SyncUsage',
  role: 'viewer',
  input: z.object({
    region: z.string().refine((r) => consoleContext().regions.includes(r), { error: 'must be one of the console’s Regions' }),
    account: z
      .string()
      .refine((a) => consoleContext().accounts.some((c) => c.name === a), { error: 'must be one of the console’s accounts' })
      .optional(),
  }),
  // Anyone may start a sync, so a Region's syncs are limited whoever asks.
  rateLimit: { rule: RATE_LIMITS.syncUsage, key: ({ region, account }) => `${account ?? consoleContext().account}/${region}`, what: 'usage syncs of this Region' },
  run: async ({ region, account }): Promise<{ started: boolean }> => {
    // KEYDECK_USAGE_SYNC=off: nothing starts (the sync status says the sync is off).
    if (!usageSyncEnabled(process.env)) return { started: false };
    void syncNow(region, account ?? consoleContext().account);
    return { started: true };
  },
});
