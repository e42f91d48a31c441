/** AWS JSON 1.1 framing: blobs as base64, timestamps as epoch seconds, errors as {__type, message}. */
import { KmsError } from './errors';

export interface WireRequest {
  method: string;
  /** Path and query string, as sent (signed by SigV4). */
  path: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Uint8Array | string;
  /** The client's address (aws:SourceIp), when known. */
  sourceIp?: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body as text, when it was made as text (JSON): a server can send it without `body`'s copy into bytes. */
  readonly text?: string;
}

/**
 * A response made as text: its bytes are made only when read (the SDK in process and web Responses read
 * them; the HTTP server writes the text with the headers in one socket write).
 */
class TextResponse implements WireResponse {
  private bytes: Buffer | undefined;
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly text: string,
  ) {}
  get body(): Buffer {
    return (this.bytes ??= Buffer.from(this.text));
  }
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * Serializes an SDK-shaped output as JSON 1.1: blobs as base64 strings, dates as epoch seconds,
 * undefined members left out. Written directly (not JSON.stringify over a converted copy) because
 * it runs once per request on the hot path.
 */
export function toJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  // Base64 has no character JSON must escape.
  if (value instanceof Uint8Array) return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
  if (value instanceof Date) return String(value.getTime() / 1000);
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  let out = '{';
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${toJson(member)}`;
  }
  return `${out}}`;
}

export function ok(output: unknown, requestId: string): WireResponse {
  return new TextResponse(200, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, toJson(output));
}

export function fail(error: KmsError, requestId: string): WireResponse {
  return new TextResponse(error.status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code }, JSON.stringify({ __type: error.code, message: error.message }));
}
