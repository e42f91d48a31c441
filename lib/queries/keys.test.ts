import { describe, expect, it } from 'vitest';
import { keyQueries } from './keys';

const scope = { account: '111122223333', region: 'eu-west-1' };

describe('keyQueries', () => {
  it('nests list and detail keys under the account and region, so one invalidation reaches both', () => {
    const all = keyQueries.all(scope);
    expect(all).toEqual(['keys', '111122223333', 'eu-west-1']);
    expect(keyQueries.list(scope).queryKey.slice(0, 3)).toEqual(all);
    expect(keyQueries.detail(scope, 'k1').queryKey).toEqual([...all, 'detail', 'k1']);
    expect(keyQueries.list({ ...scope, region: 'us-east-1' }).queryKey).not.toEqual(keyQueries.list(scope).queryKey);
  });
});
