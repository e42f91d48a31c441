/**
 * Usage history for the demo account: simulated applications calling KMS over the past days — a
 * daily cycle, weekday/weekend difference, bursts, refused calls — made by real requests to an
 * emulator whose clock is moved through the period, so every CloudTrail event is a true record.
 */
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { demoIdentity } from './identities';
import type { Emulator } from './index';

const HOUR = 3_600_000;

/** A deterministic pseudo-random sequence (mulberry32), so the demo is the same every time. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryOptions {
  /** The emulator whose clock `setNow` moves. */
  emulator: Emulator;
  setNow(ms: number): void;
  days: number;
  end: number;
  /** Average calls per hour at the daily peak. */
  peakPerHour: number;
}


/** Replays `days` of traffic ending at `end`; returns how many calls it made. */
export async function seedHistory({ emulator, setNow, days, end, peakPerHour }: HistoryOptions): Promise<number> {
  const rand = random(20261123);
  const as = (name: string): KMSClient => emulator.kmsClient({ accessKeyId: demoIdentity(name).accessKeyId, secretAccessKey: demoIdentity(name).secretAccessKey });
  const app = as('assumed-role/app');
  const admin = emulator.kmsClient();
  const auditor = as('user/auditor');
  let calls = 0;
  const start = end - days * 24 * HOUR;
  for (let hour = start; hour < end; hour += HOUR) {
    const d = new Date(hour);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    // Business-hours curve in UTC, quieter at weekends, with a nightly batch burst at 02:00.
    const daily = Math.max(0.05, Math.sin(((d.getUTCHours() - 6) / 24) * 2 * Math.PI));
    const burst = d.getUTCHours() === 2 ? 3 : 1;
    const n = Math.round(peakPerHour * daily * burst * (weekend ? 0.3 : 1) * (0.7 + 0.6 * rand()));
    for (let i = 0; i < n; i++) {
      setNow(hour + Math.floor(rand() * HOUR));
      const pick = rand();
      try {
        if (pick < 0.45) {
          const { CiphertextBlob } = await app.send(new EncryptCommand({ KeyId: 'alias/payments/card-data', Plaintext: Buffer.from('4111111111111111'), EncryptionContext: { app: 'checkout' } }));
          await app.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'checkout' } }));
          calls += 2;
        } else if (pick < 0.75) {
          await app.send(new GenerateDataKeyCommand({ KeyId: 'alias/payments/tokens', KeySpec: 'AES_256' }));
          calls++;
        } else if (pick < 0.9) {
          await app.send(new SignCommand({ KeyId: 'alias/identity/jwt', Message: Buffer.from('session'), SigningAlgorithm: 'ECDSA_SHA_256' }));
          calls++;
        } else if (pick < 0.97) {
          // A misconfigured job: the auditor has no use permission, so these are refused.
          await auditor.send(new EncryptCommand({ KeyId: 'alias/platform/secrets', Plaintext: Buffer.from('x') }));
          calls++;
        } else {
          // Someone tries the disabled staging key.
          await admin.send(new EncryptCommand({ KeyId: 'alias/platform/staging', Plaintext: Buffer.from('x') }));
          calls++;
        }
      } catch {
        calls++; // a refused call is history too: CloudTrail recorded it
      }
    }
  }
  return calls;
}
