/** The Checksum interface @smithy/signature-v4 expects, on node:crypto: SHA-256, or HMAC-SHA-256 when given a secret. */
import crypto from 'node:crypto';

type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (s: Source) => (typeof s === 'string' ? s : ArrayBuffer.isView(s) ? new Uint8Array(s.buffer, s.byteOffset, s.byteLength) : new Uint8Array(s));

export class Sha256 {
  private hash: crypto.Hash | crypto.Hmac;
  constructor(private readonly secret?: Source) {
    this.hash = this.fresh();
  }
  private fresh(): crypto.Hash | crypto.Hmac {
    return this.secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', bytes(this.secret));
  }
  update(data: Source): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
