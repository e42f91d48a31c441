import { describe, expect, it } from 'vitest';
import { createEmulator } from './index';
import { signedRequest as post } from './test-support';

describe('AWS JSON 1.1 over handle(Request)', () => {
  it('answers with base64 blobs, epoch-second timestamps and a request id', async () => {
    const emulator = createEmulator({ clock: () => new Date('2026-03-01T12:00:00.500Z') });
    const res = await emulator.handle(await post('TrentService.CreateKey', '{"Description":"wire"}'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const { KeyMetadata } = await res.json();
    expect(KeyMetadata.CreationDate).toBe(Date.parse('2026-03-01T12:00:00.500Z') / 1000);
    const enc = await emulator.handle(await post('TrentService.Encrypt', JSON.stringify({ KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('hi').toString('base64') })));
    const { CiphertextBlob } = await enc.json();
    expect(Buffer.from(CiphertextBlob, 'base64').length).toBeGreaterThan(60);
  });

  it('reports errors as HTTP 400 with __type, message and x-amzn-ErrorType', async () => {
    const emulator = createEmulator();
    const res = await emulator.handle(await post('TrentService.DescribeKey', '{"KeyId":"alias/none"}'));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(await res.json()).toEqual({ __type: 'NotFoundException', message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found.' });
  });

  it('names a missing required member in AWS wording', async () => {
    const res = await createEmulator().handle(await post('TrentService.Encrypt', '{}'));
    expect(await res.json()).toEqual({
      __type: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value null at 'plaintext' failed to satisfy constraint: Member must not be null",
    });
  });

  it.each([
    ['an unknown operation', () => post('TrentService.Frobnicate', '{}'), 'UnknownOperationException'],
    ['another service', () => post('DynamoDB_20120810.ListTables', '{}'), 'UnknownOperationException'],
    ['a body that is not JSON', () => post('TrentService.ListKeys', '{'), 'SerializationException'],
    ['a blob that is not base64', () => post('TrentService.Encrypt', '{"KeyId":"alias/x","Plaintext":"not base64!"}'), 'SerializationException'],
    ['a number where a string belongs', () => post('TrentService.DescribeKey', '{"KeyId":5}'), 'SerializationException'],
    ['an unknown access key', () => post('TrentService.ListKeys', '{}', { accessKeyId: 'AKIAOTHER' }), 'UnrecognizedClientException'],
    ['a signature made with the wrong secret', () => post('TrentService.ListKeys', '{}', { secretAccessKey: 'wrong' }), 'InvalidSignatureException'],
    ['a request signed 6 minutes ago', () => post('TrentService.ListKeys', '{}', { signingDate: new Date(Date.now() - 6 * 60_000) }), 'InvalidSignatureException'],
    ['a request signed 6 minutes ahead', () => post('TrentService.ListKeys', '{}', { signingDate: new Date(Date.now() + 6 * 60_000) }), 'InvalidSignatureException'],
    ['an operation that arrives later', () => post('TrentService.CreateCustomKeyStore', '{}'), 'UnsupportedOperationException'],
  ])('refuses %s with %s', async (_what, request, type) => {
    const res = await createEmulator().handle(await request());
    expect(res.status).toBe(400);
    expect((await res.json()).__type).toBe(type);
  });

  it('refuses an unsigned request with MissingAuthenticationTokenException (HTTP 403)', async () => {
    const res = await createEmulator().handle(await post('TrentService.ListKeys', '{}', { unsigned: true }));
    expect(res.status).toBe(403);
    expect((await res.json()).__type).toBe('MissingAuthenticationTokenException');
  });

  it('never echoes a plaintext in an error message', async () => {
    const secret = Buffer.from('s3cr3t-value'.repeat(400)).toString('base64');
    const emulator = createEmulator();
    const created = await (await emulator.handle(await post('TrentService.CreateKey', '{}'))).json();
    const res = await emulator.handle(await post('TrentService.Encrypt', JSON.stringify({ KeyId: created.KeyMetadata.KeyId, Plaintext: secret })));
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(body).not.toContain('s3cr3t');
    expect(body).not.toContain(secret.slice(0, 40));
  });

  it('calls onRequest once per request with operation, key and status, never payloads', async () => {
    const entries: unknown[] = [];
    const emulator = createEmulator({ onRequest: (e) => entries.push(e) });
    const created = await (await emulator.handle(await post('TrentService.CreateKey', '{}'))).json();
    await emulator.handle(await post('TrentService.Encrypt', JSON.stringify({ KeyId: created.KeyMetadata.KeyId, Plaintext: Buffer.from('hush').toString('base64') })));
    expect(entries).toEqual([
      expect.objectContaining({ operation: 'CreateKey', keyId: created.KeyMetadata.KeyId, status: 200 }),
      expect.objectContaining({ operation: 'Encrypt', keyId: created.KeyMetadata.KeyId, status: 200, region: 'us-east-1' }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(Buffer.from('hush').toString('base64'));
  });
});
