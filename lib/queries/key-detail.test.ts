import { describe, expect, it } from 'vitest';
import { keyDetailQueries, publicKeyUrl } from './key-detail';
import { keyQueries } from './keys';

const scope = { account: '111122223333', region: 'eu-west-1' };

describe('keyDetailQueries', () => {
  it('nests every sub-query under the key detail, so one invalidation of the detail reaches them', () => {
    const detail = keyQueries.detail(scope, 'k1').queryKey;
    for (const key of [keyDetailQueries.policy(scope, 'k1').queryKey, keyDetailQueries.rotations(scope, 'k1').queryKey, keyDetailQueries.activity(scope, 'k1', 'all').queryKey]) {
      expect(key.slice(0, detail.length)).toEqual([...detail]);
    }
    expect(keyDetailQueries.activity(scope, 'k1', 'all').queryKey).not.toEqual(keyDetailQueries.activity(scope, 'k1', 'changes').queryKey);
  });

  it('builds the public key download URL with region, account and format', () => {
    expect(publicKeyUrl(scope, 'k/1', 'der')).toBe('/api/keys/k%2F1/public-key?region=eu-west-1&account=111122223333&format=der');
  });
});
