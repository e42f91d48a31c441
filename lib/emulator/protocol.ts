/** AWS JSON 1.1 framing: blobs as base64, timestamps as epoch seconds, errors as {__type, message}. */
import { KmsError } from './errors';

export interface WireRequest {
  method: string;
  target: string | null;
  authorization: string | null;
  body: Uint8Array | string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Converts an SDK-shaped output to its JSON 1.1 form. */
export function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}

export function ok(output: unknown, requestId: string): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: Buffer.from(JSON.stringify(toWire(output))),
  };
}

export function fail(error: KmsError, requestId: string): WireResponse {
  return {
    status: error.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    body: Buffer.from(JSON.stringify({ __type: error.code, message: error.message })),
  };
}
