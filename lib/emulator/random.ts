/** Random bytes for IVs and ids, drawn from a pooled CSPRNG buffer: one getrandom call per 64 KiB instead of per request. */
import crypto from 'node:crypto';

const POOL_SIZE = 64 * 1024;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomBytes(n: number): Buffer {
  if (n > POOL_SIZE / 4) return crypto.randomBytes(n);
  if (offset + n > pool.length) {
    pool = crypto.randomBytes(POOL_SIZE);
    offset = 0;
  }
  // A copy, so a caller that keeps the bytes never aliases bytes handed to another caller.
  const out = Buffer.from(pool.subarray(offset, offset + n));
  offset += n;
  return out;
}
