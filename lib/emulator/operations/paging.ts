/** Paging with Limit / Marker / NextMarker / Truncated, as the KMS list operations do. */
import { InvalidMarkerException } from '../errors';

const invalid = () => new InvalidMarkerException('The marker is not valid. Use the NextMarker value from the previous response.');

function decode(marker: string | undefined, kind: string): number {
  if (marker === undefined) return 0;
  const m = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(marker, 'base64url').toString());
  if (!m) throw invalid();
  return Number(m[1]);
}
const encode = (kind: string, n: number) => Buffer.from(`${kind}:${n}`).toString('base64url');

/**
 * One page of `items` (in creation order) after `marker`. The marker is the creation sequence of the
 * last item returned, so items deleted between pages do not shift the next page.
 */
export function pageBySeq<T extends { seq: number }>(items: Iterable<T>, limit: number | undefined, marker: string | undefined, defaultLimit = 100) {
  const after = decode(marker, 'seq');
  const max = limit ?? defaultLimit;
  const out: T[] = [];
  let truncated = false;
  for (const item of items) {
    if (item.seq <= after) continue;
    if (out.length === max) {
      truncated = true;
      break;
    }
    out.push(item);
  }
  return { items: out, truncated, nextMarker: truncated ? encode('seq', out[out.length - 1].seq) : undefined };
}

/** One page of a short list held in one record (tags, rotations), by offset. */
export function pageByOffset<T>(items: readonly T[], limit: number | undefined, marker: string | undefined, defaultLimit = 100) {
  const start = decode(marker, 'at');
  const end = start + (limit ?? defaultLimit);
  const truncated = end < items.length;
  return { items: items.slice(start, end), truncated, nextMarker: truncated ? encode('at', end) : undefined };
}
