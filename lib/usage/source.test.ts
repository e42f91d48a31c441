import { describe, expect, it } from 'vitest';
import { testBackends } from '@/lib/store/test-support';
import { getUsageSource, setUsageSource } from './source';

const EDS = 'arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';

describe.each(testBackends)('the usage source setting on $name', (backend) => {
  it('defaults to the embedded store, keeps a Lake event data store, and refuses a malformed one without changing the setting', async () => {
    const store = await backend.open();
    try {
      expect(await getUsageSource(store.db)).toEqual({ kind: 'store' });
      expect(await setUsageSource(store.db, { kind: 'lake', eventDataStore: ` ${EDS} ` })).toEqual({ kind: 'lake', eventDataStore: EDS });
      expect(await getUsageSource(store.db)).toEqual({ kind: 'lake', eventDataStore: EDS });
      await expect(setUsageSource(store.db, { kind: 'lake', eventDataStore: "x' OR 1=1" })).rejects.toMatchObject({ name: 'ValidationException' });
      expect(await getUsageSource(store.db)).toEqual({ kind: 'lake', eventDataStore: EDS });
      await setUsageSource(store.db, { kind: 'store' });
      expect(await getUsageSource(store.db)).toEqual({ kind: 'store' });
    } finally {
      await store.close();
    }
  });
});
