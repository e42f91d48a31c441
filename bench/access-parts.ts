/**
 * `npx tsx bench/access-parts.ts`: CPU µs of the access-only parts of one signed Encrypt, each in a tight loop —
 * SigV4 verification (`verifySignature`) and authorization (`authorizeKey` with the bench's 3-statement policy, a
 * grant and the caller's IAM policy), best of BENCH_ROUNDS (5) rounds of BENCH_N (100,000) calls; BENCH_PART=sigv4 (or
 * authorize) measures one. For work on those parts; bench/dispatch.ts measures the whole request.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { verifySignature } from '../lib/emulator/auth';
import { authorizeKey } from '../lib/emulator/authorize';
import { DEFAULT_IDENTITIES } from '../lib/emulator/identities';
import { Store, type KeyRecord } from '../lib/emulator/store';
import { BENCH_POLICY, dispatchRequest } from './support/signed-encrypt';

const N = Number(process.env.BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_PART;

const encrypt = await dispatchRequest('Encrypt', { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Plaintext: crypto.randomBytes(1024).toString('base64') });
const request = { ...encrypt, authorization: encrypt.headers.authorization };
const identities = new Map(DEFAULT_IDENTITIES.map((i) => [i.accessKeyId, i]));

const key = {
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  account: '111122223333',
  region: 'us-east-1',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  multiRegion: false,
  policy: BENCH_POLICY,
  grants: [{ grantId: 'g'.repeat(64), granteePrincipal: 'arn:aws:iam::111122223333:role/app', operations: ['Encrypt', 'Decrypt'] }],
} as unknown as KeyRecord; // only the members authorization reads
const store = Store.open(undefined);

function micros(fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) fn();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / N);
  }
  return best;
}

const caller = identities.get('test')!;
const parts: string[] = [];
if (ONLY !== 'authorize') parts.push(`verifySignature ${micros(() => verifySignature(request, identities, Date.now())).toFixed(2)} µs`);
if (ONLY !== 'sigv4') {
  parts.push(
    `authorizeKey ${micros(() => authorizeKey({ caller, now: Date.now(), sourceIp: '127.0.0.1', store, conditionKeys: {} }, key, 'kms:Encrypt', undefined)).toFixed(2)} µs`,
  );
}
console.log(`best of ${ROUNDS}×${N}: ${parts.join(', ')}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}`);
