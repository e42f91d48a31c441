/**
 * `npx tsx bench/access-parts.ts`: CPU µs of the access-only parts of one signed Encrypt, each in a tight loop —
 * SigV4 verification (`verifySignature`) and authorization (`authorizeKey` with the bench's 3-statement policy, a
 * grant and the caller's IAM policy), best of BENCH_ROUNDS (5) rounds of BENCH_N (100,000) calls; BENCH_PART=sigv4 (or
 * authorize) measures one. For work on those parts; bench/dispatch.ts measures the whole request.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySignature } from '../lib/emulator/auth';
import { authorizeKey } from '../lib/emulator/authorize';
import { DEFAULT_IDENTITIES } from '../lib/emulator/identities';
import { Sha256 } from '../lib/emulator/sha256';
import { Store, type KeyRecord } from '../lib/emulator/store';

const N = Number(process.env.BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ONLY = process.env.BENCH_PART;

const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
const body = JSON.stringify({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Plaintext: crypto.randomBytes(1024).toString('base64') });
const signed = await signer.sign({
  method: 'POST',
  protocol: 'http:',
  hostname: '127.0.0.1',
  port: 4599,
  path: '/',
  headers: { host: '127.0.0.1:4599', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Encrypt' },
  body,
});
const headers: Record<string, string> = { 'user-agent': 'wrk' };
for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
const request = { method: 'POST', path: '/', headers, body: Buffer.from(body), authorization: headers.authorization };
const identities = new Map(DEFAULT_IDENTITIES.map((i) => [i.accessKeyId, i]));

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Key administrators', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/security-admin' }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:Put*', 'kms:Disable*', 'kms:ScheduleKeyDeletion'], Resource: '*' },
    { Sid: 'Key users', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } },
  ],
});
const key = {
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  account: '111122223333',
  region: 'us-east-1',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  multiRegion: false,
  policy: POLICY,
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
