import type { AddressInfo } from 'node:net';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from './index';
import { fail, ok } from './protocol';
import { NotFoundException } from './errors';
import { createEmulatorServer } from './server';

describe('responses made as text', () => {
  it('give the same bytes as text and as body, for the SDK in process and web Responses', () => {
    const res = ok({ Description: 'clé ✓', Blob: new Uint8Array([1, 2, 3]) }, 'req-1');
    expect(res.text).toBe('{"Description":"clé ✓","Blob":"AQID"}');
    expect(res.body.equals(Buffer.from(res.text!, 'utf8'))).toBe(true);
    const error = fail(new NotFoundException('Alias arn:aws:kms:us-east-1:111122223333:alias/ü is not found.'), 'req-2');
    expect(JSON.parse(error.body.toString('utf8'))).toEqual({ __type: 'NotFoundException', message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/ü is not found.' });
    expect(error.text).toBe(error.body.toString('utf8'));
  });
});

describe('the HTTP server', () => {
  const server = createEmulatorServer(createEmulator());
  let kms: KMSClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    kms = new KMSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    kms.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a text body with its length in bytes, not characters (multi-byte descriptions arrive whole)', async () => {
    const description = 'Schlüssel für die Buchhaltung — ключ ✓ 🔑';
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(described.KeyMetadata?.Description).toBe(description);
  });

  it('answers an error as text with its exception name and HTTP status', async () => {
    const error = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 400 } });
  });
});
