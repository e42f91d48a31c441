import { describe, expect, it } from 'vitest';
import { KMS_MAX_BODY_BYTES, withBodyWithin } from './body-limit';

/** A chunked body (no Content-Length) of `chunks` × `size` bytes, counting how many chunks were pulled. */
function streamed(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(65));
    },
  });
  const request = new Request('http://console/api/kms', { method: 'POST', body, duplex: 'half' } as RequestInit);
  return { request, pulled: () => pulled };
}

describe('withBodyWithin', () => {
  it('passes a body under the cap through unchanged', async () => {
    const out = await withBodyWithin(new Request('http://c/api/kms', { method: 'POST', body: '{"KeyId":"k"}', headers: { 'x-amz-target': 'TrentService.DescribeKey' } }), 100);
    if (out instanceof Response) throw new Error('expected a request');
    expect(await out.text()).toBe('{"KeyId":"k"}');
    expect(out.headers.get('x-amz-target')).toBe('TrentService.DescribeKey');
  });

  it('refuses a declared Content-Length over the cap with 413 ValidationException', async () => {
    const out = await withBodyWithin(new Request('http://c/api/kms', { method: 'POST', body: 'x'.repeat(101) }), 100);
    if (!(out instanceof Response)) throw new Error('expected a refusal');
    expect(out.status).toBe(413);
    expect(await out.json()).toEqual({ __type: 'ValidationException', message: 'Request body is too large (the limit is 100 bytes).' });
  });

  it('stops reading a chunked body as soon as it passes the cap', async () => {
    const { request, pulled } = streamed(1000, 64 * 1024);
    const out = await withBodyWithin(request, KMS_MAX_BODY_BYTES);
    expect(out).toBeInstanceOf(Response);
    expect((out as Response).status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(KMS_MAX_BODY_BYTES / (64 * 1024) + 2);
  });

  it('keeps a chunked body that stays within the cap', async () => {
    const { request } = streamed(4, 1024);
    const out = await withBodyWithin(request, KMS_MAX_BODY_BYTES);
    if (out instanceof Response) throw new Error('expected a request');
    expect((await out.arrayBuffer()).byteLength).toBe(4096);
  });
});
