import { LookupEventsCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyPairCommand, SignCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITIES } from '@/lib/emulator/identities';
import { testEmulator } from '@/lib/emulator/test-support';
import { withThrottleRetry } from '@/lib/kms/throttle-retry';
import { testBackends } from '@/lib/store/test-support';
import { syncAccountRegion, type SyncProgress } from './ingest';
import { TokenBucket } from './token-bucket';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

/** An emulator throttling LookupEvents as AWS does (2/s), with `n` KMS calls spread over the past days. */
async function emulatorWithHistory(n: number) {
  const te = testEmulator({ lookupEventsPerSecond: 2 }, new Date('2026-03-01T00:00:00Z'));
  const app = DEFAULT_IDENTITIES.find((i) => i.arn.includes('assumed-role/app'))!;
  const appKms = te.emulator.kmsClient({ accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey });
  const { KeyId } = (await te.kms.send(new CreateKeyCommand({ Description: 'ingest' }))).KeyMetadata!;
  const { KeyId: signKey } = (await te.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
  const calls = async (count: number) => {
    for (let i = 0; i < count; i++) {
      // Several calls share a second now and then: the page boundary must not lose or repeat them.
      te.advance(i % 7 === 0 ? 0 : Math.floor(Math.random() * 900_000));
      const pick = i % 5;
      if (pick === 0) await te.kms.send(new SignCommand({ KeyId: signKey, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
      else if (pick === 1) await te.kms.send(new GenerateDataKeyPairCommand({ KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
      else if (pick === 2) await appKms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext') })).catch(() => undefined);
      else await appKms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') }));
    }
  };
  await calls(n);
  return { te, calls };
}

/** Every event LookupEvents has, read page by page within its rate: what a sync must end up with. */
async function allEvents(cloudtrail: CloudTrailClient): Promise<{ eventId: string; time: number }[]> {
  const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 1 });
  const out: { eventId: string; time: number }[] = [];
  let NextToken: string | undefined;
  do {
    const token = NextToken;
    // The emulator's bucket may still be drained by the sync just before: retry as a client should.
    const page = await withThrottleRetry(async () => {
      await bucket.take();
      return cloudtrail.send(new LookupEventsCommand({ NextToken: token }));
    }, { baseDelayMs: 500, maxAttempts: 10 });
    for (const e of page.Events ?? []) out.push({ eventId: e.EventId!, time: e.EventTime!.getTime() });
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

describe.each(testBackends)('CloudTrail ingest on $name', (backend) => {
  it('resumes an interrupted first sync against the throttled emulator with no duplicates and no gaps, then syncs incrementally', async () => {
    const { te, calls } = await emulatorWithHistory(260);
    const store = await backend.open();
    try {
      const cloudtrail = te.emulator.cloudTrailClient({ region: REGION });
      let recorded = await allEvents(cloudtrail);
      const now = () => te.now().getTime();
      // Faster than the emulator allows, so some pages are throttled and retried with backoff.
      const bucket = new TokenBucket({ ratePerSecond: 4, capacity: 2 });
      const pagesInAll = Math.ceil(recorded.length / 50);
      const stopAfter = 1 + Math.floor(Math.random() * (pagesInAll - 1));
      const progress: SyncProgress[] = [];
      const first = await syncAccountRegion({ cloudtrail, store, account: ACCOUNT, region: REGION, now, bucket, maxPages: stopAfter, onProgress: (p) => progress.push(p) });
      expect(first.completed).toBe(false);
      const stored = await store.db.selectFrom('usage_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(Math.min(recorded.length, stopAfter * 50));

      const resumed = await syncAccountRegion({ cloudtrail, store, account: ACCOUNT, region: REGION, now, bucket, onProgress: (p) => progress.push(p) });
      expect(resumed.completed).toBe(true);
      // The bucket asks faster than the emulator's 2/s: some pages were throttled and retried, none lost.
      expect(first.throttledRetries + resumed.throttledRetries).toBeGreaterThan(0);
      const ids = (await store.db.selectFrom('usage_events').select('event_id').execute()).map((r) => r.event_id);
      expect(ids.length).toBe(recorded.length);
      expect(new Set(ids)).toEqual(new Set(recorded.map((e) => e.eventId)));
      // The roll-ups count every stored event exactly once.
      const total = await store.db.selectFrom('usage_daily_ops').select((eb) => eb.fn.sum<number>('calls').as('calls')).executeTakeFirstOrThrow();
      expect(Number(total.calls)).toBe(recorded.length);
      expect(progress.at(-1)).toMatchObject({ running: false, fraction: 1, events: recorded.length });
      expect(progress.some((p) => p.running && p.fraction > 0 && p.fraction < 1 && p.etaSeconds !== null)).toBe(true);

      // Later calls: the next sync reads only what is new (plus the late-delivery overlap, de-duplicated).
      await calls(60);
      recorded = await allEvents(cloudtrail);
      const incremental = await syncAccountRegion({ cloudtrail, store, account: ACCOUNT, region: REGION, now, bucket });
      expect(incremental.completed).toBe(true);
      expect(incremental.pages).toBeLessThanOrEqual(3);
      const after = await store.db.selectFrom('usage_hourly_keys').select((eb) => eb.fn.sum<number>('calls').as('calls')).executeTakeFirstOrThrow();
      expect(Number(after.calls)).toBe(recorded.length);
      expect(await store.db.selectFrom('usage_events').select('event_id').execute().then((r) => new Set(r.map((x) => x.event_id)))).toEqual(new Set(recorded.map((e) => e.eventId)));
      const checkpoint = await store.db.selectFrom('usage_checkpoints').selectAll().executeTakeFirstOrThrow();
      const newest = recorded.reduce((a, b) => (b.time > a.time ? b : a));
      expect(checkpoint).toMatchObject({ run_end: 0, newest_time: Math.floor(newest.time / 1000), last_error: '' });
      // Classified as it will be priced: ECC data key pairs and ECDSA signatures are their own classes.
      const classes = await store.db.selectFrom('usage_events').select(['event_name', 'request_class', 'error_code']).distinct().execute();
      expect(classes).toEqual(
        expect.arrayContaining([
          { event_name: 'GenerateDataKeyPair', request_class: 'gdkp-ecc', error_code: '' },
          { event_name: 'Sign', request_class: 'asymmetric', error_code: '' },
          { event_name: 'Encrypt', request_class: 'symmetric', error_code: '' },
          { event_name: 'Decrypt', request_class: 'symmetric', error_code: 'InvalidCiphertextException' },
        ]),
      );
    } finally {
      await store.close();
      await te.emulator.close();
    }
  });
});
