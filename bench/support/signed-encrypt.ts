/**
 * What bench/emulator.ts, bench/dispatch.ts and bench/access-parts.ts share: the benches' 3-statement key
 * policy, SigV4 signing of a request as the AWS SDK signs it (once, then replayed: the server still verifies
 * every copy within the 5 minutes SigV4 allows), and the in-process dispatch measurement.
 */
import { CreateGrantCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import { createEmulator } from '../../lib/emulator/index';
import { Sha256 } from '../../lib/emulator/sha256';

/** A realistic key policy: root delegation, administrators, users with a condition — all evaluated per request. */
export const BENCH_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Key administrators', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/security-admin' }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:Put*', 'kms:Disable*', 'kms:ScheduleKeyDeletion'], Resource: '*' },
    { Sid: 'Key users', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } },
  ],
});

/** The grant every bench key carries: the app role may Encrypt and Decrypt. */
export const BENCH_GRANT = { GranteePrincipal: 'arn:aws:iam::111122223333:role/app', Operations: ['Encrypt' as const, 'Decrypt' as const] };

const signer = new SignatureV4({ service: 'kms', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });

/** `operation` with `body`, signed by the `test` identity for 127.0.0.1:`port`: the headers as signed and the body text. */
export async function signRequest(port: number, operation: string, body: object): Promise<{ headers: Record<string, string>; body: string }> {
  const text = JSON.stringify(body);
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/',
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
    body: text,
  });
  return { headers: request.headers as Record<string, string>, body: text };
}

/** A signed request as the emulator's `dispatch` receives it from node:http (lower-case headers, a user agent). */
export async function dispatchRequest(operation: string, body: object) {
  const signed = await signRequest(4599, operation, body);
  const headers: Record<string, string> = { 'user-agent': 'wrk' };
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: 'POST', path: '/', headers, body: Buffer.from(signed.body), sourceIp: '127.0.0.1' };
}

/**
 * Server CPU µs of one `emulator.dispatch` of a signed Encrypt of `payload` (the bench key, policy and grant;
 * CloudTrail kept as the server keeps it unless `keepTrail` is false), without HTTP or the SDK: a fresh
 * emulator, 2,000 dispatches to let the JIT settle, then the best of three rounds of `perRound`.
 */
export async function dispatchMicros(enforceAccess: boolean, payload: Buffer, { keepTrail = true, perRound = 5000 } = {}): Promise<number> {
  const emulator = createEmulator({ enforceAccess, ...(keepTrail ? {} : { onEvents: () => {} }) });
  const kms = emulator.kmsClient();
  const keyId = (await kms.send(new CreateKeyCommand({ Description: 'bench', Policy: BENCH_POLICY }))).KeyMetadata!.KeyId!;
  await kms.send(new CreateGrantCommand({ KeyId: keyId, ...BENCH_GRANT }));
  kms.destroy();
  const request = await dispatchRequest('Encrypt', { KeyId: keyId, Plaintext: payload.toString('base64') });
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await emulator.dispatch(request);
      if (res.status !== 200) throw new Error(`dispatch answered ${res.status}: ${res.body.toString()}`);
    }
  };
  await run(2000);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = process.cpuUsage();
    await run(perRound);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / perRound);
  }
  await emulator.close();
  return best;
}
