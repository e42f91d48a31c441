'use server';
/** Settings' one write: where the usage charts come from (the embedded store or a CloudTrail Lake event data store). Admin only, audited. */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { getConfig } from '@/lib/config';
import { sharedStore } from '@/lib/store/shared';
import { eventDataStoreId } from '@/lib/usage/lake';
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
