/**
 * `npx tsx bench/dispatch.ts`: the CPU of one in-process `dispatch` of a signed Encrypt — the key, 3-statement
 * policy and grant of `npm run bench:emulator`'s dispatch line, measured the same way (a fresh emulator, 2,000
 * dispatches to warm up, best of 3 rounds) — on the core path and with access control, alternated BENCH_ROUNDS
 * times (default 5; the best of each printed): a quicker, steadier loop than the whole bench for work on the
 * request path. BENCH_TRAIL=off drops the CloudTrail events instead of keeping them; BENCH_ACCESS=only (or none)
 * runs one path, e.g. under `node --cpu-prof --import tsx bench/dispatch.ts` for its profile.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { CreateGrantCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import { createEmulator } from '../lib/emulator/index';
import { Sha256 } from '../lib/emulator/sha256';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = Number(process.env.BENCH_DISPATCHES ?? 5000);
const ONLY = process.env.BENCH_ACCESS;
const PAYLOAD = crypto.randomBytes(1024);
/** BENCH_TRAIL=off: CloudTrail events are made but not kept (handed to `onEvents` and dropped): the request path without the trail's writes. */
const KEEP_TRAIL = process.env.BENCH_TRAIL !== 'off';

const BENCH_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Key administrators', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/security-admin' }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:Put*', 'kms:Disable*', 'kms:ScheduleKeyDeletion'], Resource: '*' },
    { Sid: 'Key users', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } },
  ],
});

const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });

async function setUp(enforceAccess: boolean) {
  const emulator = createEmulator({ enforceAccess, ...(KEEP_TRAIL ? {} : { onEvents: () => {} }) });
  const kms = emulator.kmsClient();
  const keyId = (await kms.send(new CreateKeyCommand({ Description: 'bench', Policy: BENCH_POLICY }))).KeyMetadata!.KeyId!;
  await kms.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/app', Operations: ['Encrypt', 'Decrypt'] }));
  kms.destroy();
  const body = JSON.stringify({ KeyId: keyId, Plaintext: PAYLOAD.toString('base64') });
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
  const request = { method: 'POST', path: '/', headers, body: Buffer.from(body), sourceIp: '127.0.0.1' };
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await emulator.dispatch(request);
      if (res.status !== 200) throw new Error(`dispatch answered ${res.status}: ${res.body.toString()}`);
    }
  };
  await run(2000); // let the JIT settle
  return { emulator, run };
}

async function micros(run: (n: number) => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await run(PER_ROUND);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / PER_ROUND;
}

/** One emulator at a time, as bench/emulator.ts measures: set up, best of 3 rounds, close (its trail and heap go with it). */
async function measure(enforceAccess: boolean): Promise<number> {
  const { emulator, run } = await setUp(enforceAccess);
  let best = Infinity;
  for (let round = 0; round < 3; round++) best = Math.min(best, await micros(run));
  await emulator.close();
  return best;
}

let bestCore = Infinity;
let bestFull = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  if (ONLY !== 'only') bestCore = Math.min(bestCore, await measure(false));
  if (ONLY !== 'none') bestFull = Math.min(bestFull, await measure(true));
}
const load = os.loadavg().map((n) => n.toFixed(2)).join(', ');
console.log(
  `dispatch in process, CPU per signed Encrypt, best of ${ROUNDS}×3×${PER_ROUND}: core path ${bestCore.toFixed(1)} µs, with access control ${bestFull.toFixed(1)} µs` +
    (!ONLY ? ` (${(bestFull / bestCore).toFixed(2)}× the core path)` : '') +
    `${KEEP_TRAIL ? '' : ', events not kept'}; load average ${load}`,
);
