/**
 * Request body caps for what Keydeck parses itself: the emulator's `/api/kms` endpoint (server actions
 * are capped by Next's `serverActions.bodySizeLimit` in next.config.mjs).
 */

/**
 * 1 MiB, as the standalone emulator server (lib/emulator/server.ts). KMS's largest requests are
 * CreateKey and PutKeyPolicy: a policy of up to 131,072 characters in the API model (32 KB enforced),
 * a description of 8,192 and 50 tags of 128 + 256; even if every character were JSON-escaped as
 * `\uXXXX` (6 bytes) that is about 950 KB. ImportKeyMaterial is smaller (two 6,144-byte blobs in base64).
 */
export const KMS_MAX_BODY_BYTES = 1 << 20;

/**
 * Server actions' cap, the same as `experimental.serverActions.bodySizeLimit: '256kb'` in next.config.mjs
 * (its arithmetic is there). proxy.ts refuses a larger declared body with a clean 413 up front; Next
 * itself refuses a larger chunked one too, though it answers that with a 500.
 */
export const SERVER_ACTION_MAX_BODY_BYTES = 256 * 1024;

/**
 * How the cap is answered: HTTP 413 with the body the standalone emulator sends, so an SDK raises a
 * typed ValidationException (KMS's API model names no oversize error; AWS's front end answers 413).
 */
export function payloadTooLargeResponse(maxBytes: number): Response {
  return new Response(JSON.stringify({ __type: 'ValidationException', message: `Request body is too large (the limit is ${maxBytes} bytes).` }), {
    status: 413,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ValidationException', 'cache-control': 'no-store' },
  });
}

/** True when the declared Content-Length alone is over the cap (checked in proxy.ts before any byte is read). */
export function declaredTooLarge(headers: Headers, maxBytes: number): boolean {
  const length = Number(headers.get('content-length'));
  return Number.isFinite(length) && length > maxBytes;
}

/**
 * `request` with its body read into memory, or a 413 answer once more than `maxBytes` arrive — also for a
 * chunked body that declares no length. Stops reading at the cap, so an endless body costs nothing more.
 */
export async function withBodyWithin(request: Request, maxBytes: number): Promise<Request | Response> {
  if (declaredTooLarge(request.headers, maxBytes)) return payloadTooLargeResponse(maxBytes);
  if (!request.body) return request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return payloadTooLargeResponse(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body });
}
