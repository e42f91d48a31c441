/**
 * Errors never echo secrets: failures of server actions (defineAction) and of route handlers
 * (jsonOrKmsError) are driven for real through the SDK against the emulator, and their messages
 * checked for the plaintexts, ciphertexts, contexts and credentials that were sent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAction, type ActionResult } from '@/lib/actions/define-action';
import { signInForTest } from '@/lib/auth/test-request';
import { sharedStore } from '@/lib/store/shared';
import { testEmulator } from '@/lib/emulator/test-support';
import { jsonOrKmsError } from '@/lib/kms/key-detail-http';
import { decryptInput, encryptInput } from '@/lib/playground/schemas';
import { INTERNAL_MESSAGE } from './public-error';

// The actions run as a signed-in operator (a real session behind a stand-in for next/headers), and each
// call lands in the audit log of a store in a fresh data dir, which must not hold the secrets either.
vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);
process.env.KEYDECK_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-error-secrets-'));

const SECRET = 'TOP-SECRET-PLAINTEXT-7f3a9c';
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

/** Every form a secret may take in a message — as sent, base64, hex — cut into each of its 10-character pieces, so a quoted prefix counts too. */
function forms(secret: string | Uint8Array): string[] {
  const raw = typeof secret === 'string' ? secret : Buffer.from(secret).toString('latin1');
  const pieces = new Set<string>();
  for (const form of [raw, b64(secret), Buffer.from(secret).toString('hex')]) for (let i = 0; i + 10 <= form.length; i++) pieces.add(form.slice(i, i + 10));
  return [...pieces];
}

function expectNoSecret(text: string, ...secrets: (string | Uint8Array)[]) {
  for (const secret of secrets) for (const form of forms(secret)) expect(text).not.toContain(form);
}

const errorOf = <T>(result: ActionResult<T>) => {
  if (result.ok) throw new Error('expected the action to fail');
  return result.error;
};

afterAll(async () => {
  // Nothing sent above reached the audit log either.
  const rows = await (await sharedStore()).db.selectFrom('audit_log').selectAll().execute();
  expect(rows.length).toBeGreaterThan(0);
  expectNoSecret(JSON.stringify(rows), SECRET);
});

describe('errors never echo what was sent', () => {
  const { kms, emulator } = testEmulator();
  let keyId = '';
  let hmacKeyId = '';
  beforeAll(async () => {
    await signInForTest('operator');
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? '';
    hmacKeyId = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata?.KeyId ?? '';
  });

  const encrypt = defineAction({
    name: 'Encrypt',
    role: 'operator',
    input: encryptInput,
    run: ({ keyId: id, plaintext, encryptionContext }) => kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from(plaintext, 'base64'), EncryptionContext: encryptionContext })),
  });
  const decrypt = defineAction({
    name: 'Decrypt',
    role: 'operator',
    input: decryptInput,
    run: ({ ciphertext, encryptionContext }) => kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(ciphertext, 'base64'), EncryptionContext: encryptionContext })),
  });

  it('an oversized plaintext fails with ValidationException, not with the plaintext', async () => {
    const plaintext = `${SECRET}:`.repeat(200); // > 4,096 bytes
    const error = errorOf(await encrypt({ region: 'us-east-1', keyId, plaintext: b64(plaintext) }));
    expect(error.name).toBe('ValidationException');
    expectNoSecret(JSON.stringify(error), SECRET);
  });

  it('a plaintext that is not base64 fails the schema without echoing it', async () => {
    const error = errorOf(await encrypt({ region: 'us-east-1', keyId, plaintext: `${SECRET} !not base64!` }));
    expect(error.name).toBe('ValidationException');
    expectNoSecret(JSON.stringify(error), SECRET);
  });

  it('the plaintext sent to a key that cannot encrypt stays out of the error', async () => {
    const error = errorOf(await encrypt({ region: 'us-east-1', keyId: hmacKeyId, plaintext: b64(SECRET) }));
    expect(error.name).toBe('InvalidKeyUsageException');
    expectNoSecret(JSON.stringify(error), SECRET);
  });

  it('a decrypt with the wrong context names neither the ciphertext nor the contexts', async () => {
    const context = { tenant: 'SECRET-TENANT-4411' };
    const sealed = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SECRET), EncryptionContext: context }));
    const ciphertext = sealed.CiphertextBlob ?? new Uint8Array();
    const error = errorOf(await decrypt({ region: 'us-east-1', ciphertext: b64(ciphertext), encryptionContext: { tenant: 'SECRET-GUESS-9902' } }));
    expect(error.name).toBe('InvalidCiphertextException');
    expectNoSecret(JSON.stringify(error), ciphertext, SECRET, 'SECRET-TENANT-4411', 'SECRET-GUESS-9902');
  });

  it('a tampered ciphertext fails without echoing it', async () => {
    const sealed = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(SECRET) }));
    const tampered = Uint8Array.from(sealed.CiphertextBlob ?? []);
    tampered[tampered.length - 1] ^= 1;
    const error = errorOf(await decrypt({ region: 'us-east-1', ciphertext: b64(tampered) }));
    expect(error.name).toBe('InvalidCiphertextException');
    expectNoSecret(JSON.stringify(error), tampered, SECRET);
  });

  it('wrong credentials fail without the secret access key or the signature in the message', async () => {
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY1';
    const client: KMSClient = emulator.kmsClient({ accessKeyId: 'AKIAIOSFODNN7SECRET1', secretAccessKey });
    const action = defineAction({ name: 'GenerateMac', role: 'operator', input: z.object({ message: z.string() }), run: ({ message }) => client.send(new GenerateMacCommand({ KeyId: hmacKeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message) })) });
    const error = errorOf(await action({ message: SECRET }));
    expect(error.name).toMatch(/UnrecognizedClientException|InvalidSignatureException|AccessDenied/);
    expectNoSecret(JSON.stringify(error), secretAccessKey, SECRET);
  });

  it('a route handler’s KMS failure (jsonOrKmsError) answers by name without what was sent', async () => {
    const response = await jsonOrKmsError(() => kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(`${SECRET}-not-a-ciphertext`) })));
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ error: { name: 'InvalidCiphertextException' } });
    expectNoSecret(body, SECRET);
  });

  it('a route handler’s unexpected failure does not pass on a message that quotes its input', async () => {
    // V8 quotes the text it failed to parse: `Unexpected token 'T', "TOP-SECRET…" is not valid JSON`.
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    const response = await jsonOrKmsError(async () => JSON.parse(`${SECRET} and more`));
    spy.mockRestore();
    expect(response.status).toBe(502);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { name: 'InternalError', message: INTERNAL_MESSAGE } });
    expectNoSecret(body, SECRET);
    // The log says what failed and where, not the message that quotes the input.
    expect(logged.join('\n')).toMatch(/^Unexpected SyntaxError in a route handler\n\s+at /);
    expectNoSecret(logged.join('\n'), SECRET);
  });
});

describe('publicErrorInfo', () => {
  it('keeps errors raised on purpose with their own name, masks JavaScript’s own', async () => {
    const { publicErrorInfo } = await import('./public-error');
    expect(publicErrorInfo(Object.assign(new Error('DescribeKey returned no metadata for k.'), { name: 'NotFoundException' }))).toEqual({ name: 'NotFoundException', message: 'DescribeKey returned no metadata for k.' });
    class AliasTakenError extends Error {}
    expect(publicErrorInfo(new AliasTakenError('alias/x is taken')).message).toBe('alias/x is taken');
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(publicErrorInfo(new TypeError(`Cannot read ${SECRET}`))).toEqual({ name: 'InternalError', message: INTERNAL_MESSAGE });
    expect(publicErrorInfo('a string')).toEqual({ name: 'InternalError', message: INTERNAL_MESSAGE });
    spy.mockRestore();
  });
});
