import { describe, expect, it } from 'vitest';
import { AWS_INVENTORY_CONCURRENCY, AWS_INVENTORY_RATES, KMS_READ_QUOTAS, createPacer } from './inventory-quotas';

describe('inventory quotas', () => {
  it('leaves half of each AWS default quota to the account’s applications', () => {
    for (const [operation, quota] of Object.entries(KMS_READ_QUOTAS)) expect(AWS_INVENTORY_RATES[operation as keyof typeof KMS_READ_QUOTAS]).toBe(quota / 2);
    expect(AWS_INVENTORY_RATES.GetKeyRotationStatus).toBe(500);
  });

  it('has enough requests in flight to reach the per-key rates at 25 ms a request', () => {
    const perKey = AWS_INVENTORY_RATES.DescribeKey + AWS_INVENTORY_RATES.ListResourceTags + AWS_INVENTORY_RATES.GetKeyRotationStatus;
    expect(AWS_INVENTORY_CONCURRENCY / 0.025).toBeGreaterThanOrEqual(perKey);
  });

  it('spaces calls 1000 / rate ms apart, from the first', async () => {
    let clock = 0;
    const pace = createPacer(50, () => clock);
    const started = performance.now();
    await pace();
    // The next two calls, made at the same instant, get the next slots: 20 and 40 ms later.
    const second = pace();
    const third = pace();
    await second;
    await third;
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
    clock = 1_000;
    const before = performance.now();
    await pace();
    expect(performance.now() - before).toBeLessThan(15);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => createPacer(0)).toThrow(RangeError);
  });
});
