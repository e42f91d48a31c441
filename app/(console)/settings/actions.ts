'use server';
/**
 * Settings' writes, admin only and audited: where the usage charts come from (the embedded store or a
 * CloudTrail Lake event data store), and how long the usage store keeps raw events and roll-ups.
 */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { getConfig } from '@/lib/config';
import { sharedStore } from '@/lib/store/shared';
import { eventDataStoreId } from '@/lib/usage/lake';
import { applyRetention, MAX_RETENTION_DAYS, setRetention } from '@/lib/usage/event-store';
import { DEMO_LAKE_REASON, setUsageSource } from '@/lib/usage/source';

const isEventDataStore = (v: string) => {
  try {
    eventDataStoreId(v);
    return true;
  } catch {
    return false;
  }
};

const input = z
  .discriminatedUnion('kind', [z.object({ kind: z.literal('store') }), z.object({ kind: z.literal('lake'), eventDataStore: z.string().trim().min(1, { error: 'is required' }).max(256) })])
  .refine((v) => v.kind === 'store' || getConfig().mode === 'aws', { error: DEMO_LAKE_REASON })
  .refine((v) => v.kind === 'store' || isEventDataStore(v.eventDataStore), {
    error: 'must be an event data store ARN (arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>) or its id',
    path: ['eventDataStore'],
  });

export const setUsageSourceAction = defineAction({
  name: 'SetUsageSource',
  role: 'admin',
  // The source serves every account of the console.
  accountScoped: false,
  input,
  run: async (source) => setUsageSource((await sharedStore()).db, source),
});

const days = z.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1 day' }).max(MAX_RETENTION_DAYS, { error: `must be at most ${MAX_RETENTION_DAYS} days` });

export const setUsageRetentionAction = defineAction({
  name: 'SetUsageRetention',
  role: 'admin',
  // The store serves every account of the console.
  accountScoped: false,
  input: z
    .object({ rawDays: days, rollupDays: days })
    .refine((r) => r.rollupDays >= r.rawDays, { error: 'must be at least as long as the raw events are kept', path: ['rollupDays'] }),
  // Saved, then applied at once (and after every sync): what is older goes now, not at the next sync.
  run: async (retention) => {
    const db = (await sharedStore()).db;
    await setRetention(db, retention);
    const deletedEvents = await applyRetention(db, Math.floor(Date.now() / 1000), retention);
    return { ...retention, deletedEvents };
  },
});
