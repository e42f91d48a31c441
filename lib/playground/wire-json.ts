/** SDK values as the wire's JSON (what the playground and /learn show as "sent" and "came back"). */
import type { Json } from './call';

/** Blobs base64, dates ISO, undefined dropped, the SDK's `$metadata` left out. */
export function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJson(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata') continue;
      const j = toJson(v);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
