import type { AwsCredentialIdentity } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { refreshingCredentials } from './refreshing-credentials';

function counting(expiresInMs: number | undefined, clock: { now: number }) {
  let calls = 0;
  const provider = async (): Promise<AwsCredentialIdentity> => {
    calls += 1;
    return { accessKeyId: `ASIA${calls}`, secretAccessKey: 's', expiration: expiresInMs === undefined ? undefined : new Date(clock.now + expiresInMs) };
  };
  return { provider, calls: () => calls };
}

describe('refreshingCredentials', () => {
  it('shares one fetch among concurrent callers and reuses it until five minutes before expiry', async () => {
    const clock = { now: 0 };
    const source = counting(3_600_000, clock);
    const credentials = refreshingCredentials(source.provider, { now: () => clock.now });
    const [a, b] = await Promise.all([credentials(), credentials()]);
    expect(a).toBe(b);
    expect(source.calls()).toBe(1);
    clock.now = 3_600_000 - 300_001;
    expect((await credentials()).accessKeyId).toBe('ASIA1');
    clock.now = 3_600_000 - 299_999;
    expect((await credentials()).accessKeyId).toBe('ASIA2');
    expect(source.calls()).toBe(2);
  });

  it('keeps credentials without an expiry', async () => {
    const clock = { now: 0 };
    const source = counting(undefined, clock);
    const credentials = refreshingCredentials(source.provider, { now: () => clock.now });
    await credentials();
    clock.now = 1e12;
    await credentials();
    expect(source.calls()).toBe(1);
  });

  it('does not remember a failure', async () => {
    let fail = true;
    const credentials = refreshingCredentials(async () => {
      if (fail) throw new Error('AccessDenied');
      return { accessKeyId: 'AKIA', secretAccessKey: 's' };
    });
    await expect(credentials()).rejects.toThrow('AccessDenied');
    fail = false;
    await expect(credentials()).resolves.toMatchObject({ accessKeyId: 'AKIA' });
  });
});
