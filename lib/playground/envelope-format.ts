/**
 * Keydeck's envelope file format (docs/envelope-format.md): a header naming the KMS key and carrying the
 * encrypted data key, then AES-256-GCM chunks whose nonce and AAD bind their index, the final-chunk flag
 * and the header, so editing, truncating or reordering a file makes decryption fail. Pure WebCrypto: the
 * same code runs in the browser and in Node (globalThis.crypto.subtle), so either opens the other's files.
 */

/** "KDENVLP" and a NUL: the first 8 bytes of every envelope. */
export const MAGIC = new Uint8Array([0x4b, 0x44, 0x45, 0x4e, 0x56, 0x4c, 0x50, 0x00]);
export const VERSION = 1;
/** magic (8) | version (1) | header length (u32 BE, 4) — then the header JSON. */
export const PREFIX_LENGTH = 13;
export const TAG_LENGTH = 16;
export const NONCE_PREFIX_LENGTH = 4;
export const DEFAULT_CHUNK_SIZE = 1 << 20;
export const MIN_CHUNK_SIZE = 1 << 10;
export const MAX_CHUNK_SIZE = 64 << 20;
const MAX_HEADER_LENGTH = 64 << 10;

export interface EnvelopeHeader {
  /** The KMS key that encrypted the data key (GenerateDataKey's KeyId: always the key ARN). */
  keyArn: string;
  /** GenerateDataKey's CiphertextBlob. */
  encryptedDataKey: Uint8Array;
  encryptionContext: Record<string, string>;
  /** Plaintext bytes per chunk; every chunk but the last holds exactly this many. */
  chunkSize: number;
  /** Random per file; a chunk's nonce is this followed by its index (u64 BE). */
  noncePrefix: Uint8Array;
}

/** A file the format refuses: not an envelope, a version we do not know, or a chunk that fails authentication. */
export class EnvelopeFormatError extends Error {
  override name = 'EnvelopeFormatError';
}

const subtle = () => globalThis.crypto.subtle;
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export const base64 = { encode: toBase64, decode: fromBase64 };

/** A fresh nonce prefix for a new file. */
export function newNoncePrefix(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(NONCE_PREFIX_LENGTH));
}

/** The header as bytes: prefix, then canonical JSON (context keys sorted). */
export function encodeHeader(header: EnvelopeHeader): Uint8Array {
  checkChunkSize(header.chunkSize);
  if (header.noncePrefix.length !== NONCE_PREFIX_LENGTH) throw new EnvelopeFormatError(`The nonce prefix must be ${NONCE_PREFIX_LENGTH} bytes.`);
  const context = Object.fromEntries(Object.entries(header.encryptionContext).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const json = encoder.encode(
    JSON.stringify({
      alg: 'AES-256-GCM',
      keyArn: header.keyArn,
      encryptedDataKey: toBase64(header.encryptedDataKey),
      encryptionContext: context,
      chunkSize: header.chunkSize,
      noncePrefix: toBase64(header.noncePrefix),
    }),
  );
  const out = new Uint8Array(PREFIX_LENGTH + json.length);
  out.set(MAGIC, 0);
  out[8] = VERSION;
  new DataView(out.buffer).setUint32(9, json.length);
  out.set(json, PREFIX_LENGTH);
  return out;
}

function checkChunkSize(size: number) {
  if (!Number.isInteger(size) || size < MIN_CHUNK_SIZE || size > MAX_CHUNK_SIZE) {
    throw new EnvelopeFormatError(`The chunk size must be a whole number of bytes from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}, not ${size}.`);
  }
}

/** The total header length (prefix + JSON) read from the first PREFIX_LENGTH bytes of a file. */
export function headerLength(prefix: Uint8Array): number {
  if (prefix.length < PREFIX_LENGTH || MAGIC.some((b, i) => prefix[i] !== b)) throw new EnvelopeFormatError('This is not a Keydeck envelope file (the magic bytes are missing).');
  if (prefix[8] !== VERSION) throw new EnvelopeFormatError(`Envelope version ${prefix[8]} is not supported (this build reads version ${VERSION}).`);
  const length = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength).getUint32(9);
  if (length < 2 || length > MAX_HEADER_LENGTH) throw new EnvelopeFormatError(`The envelope header length (${length} bytes) is out of range.`);
  return PREFIX_LENGTH + length;
}

/** Parses a whole header (as returned by headerLength's bytes). */
export function decodeHeader(bytes: Uint8Array): EnvelopeHeader {
  const total = headerLength(bytes);
  if (bytes.length < total) throw new EnvelopeFormatError('The envelope header is truncated.');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_LENGTH, total)));
  } catch {
    throw new EnvelopeFormatError('The envelope header is not valid JSON.');
  }
  const h = raw as Record<string, unknown>;
  const context = h.encryptionContext;
  if (
    h.alg !== 'AES-256-GCM' ||
    typeof h.keyArn !== 'string' ||
    typeof h.encryptedDataKey !== 'string' ||
    typeof h.noncePrefix !== 'string' ||
    typeof h.chunkSize !== 'number' ||
    !context ||
    typeof context !== 'object' ||
    Object.values(context).some((v) => typeof v !== 'string')
  ) {
    throw new EnvelopeFormatError('The envelope header lacks a field or has one of the wrong type.');
  }
  checkChunkSize(h.chunkSize);
  const header: EnvelopeHeader = {
    keyArn: h.keyArn,
    encryptedDataKey: fromBase64(h.encryptedDataKey),
    encryptionContext: context as Record<string, string>,
    chunkSize: h.chunkSize,
    noncePrefix: fromBase64(h.noncePrefix),
  };
  if (header.noncePrefix.length !== NONCE_PREFIX_LENGTH) throw new EnvelopeFormatError('The envelope nonce prefix has the wrong length.');
  return header;
}

/** How many chunks a plaintext of `size` bytes makes: at least one (an empty file is one empty final chunk). */
export function chunkCount(size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / chunkSize));
}

/** The envelope's total length for a plaintext of `size` bytes. */
export function envelopeLength(headerBytes: number, size: number, chunkSize: number): number {
  return headerBytes + size + chunkCount(size, chunkSize) * TAG_LENGTH;
}

/** A chunk's nonce: the file's 4-byte prefix, then its index as u64 BE. */
function nonceFor(prefix: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  nonce.set(prefix, 0);
  new DataView(nonce.buffer).setBigUint64(4, BigInt(index));
  return nonce;
}

/** A chunk's AAD: SHA-256 of the header bytes | index (u64 BE) | final flag (1 byte). */
function aadFor(headerDigest: Uint8Array, index: number, final: boolean): Uint8Array<ArrayBuffer> {
  const aad = new Uint8Array(32 + 8 + 1);
  aad.set(headerDigest, 0);
  new DataView(aad.buffer).setBigUint64(32, BigInt(index));
  aad[40] = final ? 1 : 0;
  return aad;
}

const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => (bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes));

/** Imports a 32-byte data key as a non-extractable AES-GCM key: after this, JavaScript cannot read it back. */
export async function importDataKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) throw new EnvelopeFormatError(`An AES-256 data key is 32 bytes, not ${raw.length}.`);
  return subtle().importKey('raw', own(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** The chunk cipher of one file: its key, header digest and nonce prefix. */
export class ChunkCipher {
  private constructor(
    private readonly key: CryptoKey,
    private readonly headerDigest: Uint8Array,
    private readonly noncePrefix: Uint8Array,
  ) {}

  static async create(key: CryptoKey, headerBytes: Uint8Array, noncePrefix: Uint8Array): Promise<ChunkCipher> {
    const digest = new Uint8Array(await subtle().digest('SHA-256', own(headerBytes)));
    return new ChunkCipher(key, digest, noncePrefix);
  }

  async seal(index: number, final: boolean, plaintext: Uint8Array): Promise<Uint8Array> {
    const params = { name: 'AES-GCM', iv: nonceFor(this.noncePrefix, index), additionalData: aadFor(this.headerDigest, index, final), tagLength: 128 };
    return new Uint8Array(await subtle().encrypt(params, this.key, own(plaintext)));
  }

  async open(index: number, final: boolean, sealed: Uint8Array): Promise<Uint8Array> {
    const params = { name: 'AES-GCM', iv: nonceFor(this.noncePrefix, index), additionalData: aadFor(this.headerDigest, index, final), tagLength: 128 };
    try {
      return new Uint8Array(await subtle().decrypt(params, this.key, own(sealed)));
    } catch {
      throw new EnvelopeFormatError(
        `Chunk ${index} failed authentication: the file was modified, truncated or reordered, or the header does not belong to it.`,
      );
    }
  }
}

/** A source read by position (a browser File's slice, a Node file handle), so memory holds one chunk at a time. */
export interface RandomAccessSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Where output goes; awaited, so a slow sink slows the reader instead of filling memory. */
export type Sink = (bytes: Uint8Array) => Promise<void> | void;

export interface EncryptOptions {
  source: RandomAccessSource;
  sink: Sink;
  /** The plaintext data key (GenerateDataKey's Plaintext); imported non-extractable and the caller's copy zeroed. */
  dataKey: Uint8Array;
  keyArn: string;
  encryptedDataKey: Uint8Array;
  encryptionContext: Record<string, string>;
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Encrypts `source` into an envelope written to `sink`; returns the envelope's length. */
export async function encryptEnvelope(options: EncryptOptions): Promise<number> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const noncePrefix = newNoncePrefix();
  const headerBytes = encodeHeader({ keyArn: options.keyArn, encryptedDataKey: options.encryptedDataKey, encryptionContext: options.encryptionContext, chunkSize, noncePrefix });
  const key = await importDataKey(options.dataKey);
  options.dataKey.fill(0);
  const cipher = await ChunkCipher.create(key, headerBytes, noncePrefix);
  await options.sink(headerBytes);
  let written = headerBytes.length;
  const { size } = options.source;
  const count = chunkCount(size, chunkSize);
  const read = (index: number) => options.source.read(index * chunkSize, Math.min(chunkSize, size - index * chunkSize));
  await pipeline(count, read, (index, plaintext) => cipher.seal(index, index === count - 1, plaintext), async (index, sealed) => {
    await options.sink(sealed);
    written += sealed.length;
    options.onProgress?.(Math.min(size, (index + 1) * chunkSize), size);
  });
  return written;
}

export interface DecryptOptions {
  source: RandomAccessSource;
  sink: Sink;
  /** Turns the header's encrypted data key into the plaintext one (KMS Decrypt with the header's key and context). */
  unwrap: (header: EnvelopeHeader) => Promise<Uint8Array>;
  onProgress?: (done: number, total: number) => void;
}

/** Reads an envelope's header without decrypting anything. */
export async function readHeader(source: RandomAccessSource): Promise<{ header: EnvelopeHeader; bytes: Uint8Array }> {
  if (source.size < PREFIX_LENGTH) throw new EnvelopeFormatError('This is not a Keydeck envelope file (it is too short).');
  const total = headerLength(await source.read(0, PREFIX_LENGTH));
  if (source.size < total) throw new EnvelopeFormatError('The envelope header is truncated.');
  const bytes = await source.read(0, total);
  return { header: decodeHeader(bytes), bytes };
}

/** Decrypts an envelope into `sink`; returns the plaintext's length. Nothing unauthenticated reaches the sink. */
export async function decryptEnvelope(options: DecryptOptions): Promise<number> {
  const { header, bytes } = await readHeader(options.source);
  const raw = await options.unwrap(header);
  const key = await importDataKey(raw);
  raw.fill(0);
  const cipher = await ChunkCipher.create(key, bytes, header.noncePrefix);
  const body = options.source.size - bytes.length;
  const sealedChunk = header.chunkSize + TAG_LENGTH;
  const count = Math.max(1, Math.ceil(body / sealedChunk));
  const lastLength = body - (count - 1) * sealedChunk;
  if (lastLength < TAG_LENGTH) throw new EnvelopeFormatError('The envelope is truncated: its last chunk is shorter than an authentication tag.');
  const total = body - count * TAG_LENGTH;
  const read = (index: number) => options.source.read(bytes.length + index * sealedChunk, index === count - 1 ? lastLength : sealedChunk);
  let written = 0;
  // Chunks are opened a few at a time but written strictly in order: a chunk that fails authentication
  // throws before its plaintext, or any later chunk's, reaches the sink.
  await pipeline(count, read, (index, sealed) => cipher.open(index, index === count - 1, sealed), async (_index, plaintext) => {
    await options.sink(plaintext);
    written += plaintext.length;
    options.onProgress?.(written, total);
  });
  return written;
}

/** Chunks being sealed or opened at once: WebCrypto runs them on worker threads, so several use several cores. Memory holds about this many chunks plus two. */
export const CHUNKS_IN_FLIGHT = 4;

/**
 * Reads chunk after chunk (one ahead), transforms up to CHUNKS_IN_FLIGHT at once, and hands the results
 * to `write` strictly in index order, awaiting each write: memory stays bounded whatever the file's size.
 */
async function pipeline(
  count: number,
  read: (index: number) => Promise<Uint8Array>,
  transform: (index: number, bytes: Uint8Array) => Promise<Uint8Array>,
  write: (index: number, bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  const inFlight: Promise<Uint8Array>[] = [];
  let written = 0;
  let next = settled(read(0));
  for (let index = 0; index < count; index++) {
    const bytes = await next;
    if (index + 1 < count) next = settled(read(index + 1));
    inFlight.push(settled(transform(index, bytes)));
    if (inFlight.length >= CHUNKS_IN_FLIGHT) await write(written++, await inFlight.shift()!);
  }
  while (inFlight.length > 0) await write(written++, await inFlight.shift()!);
}

/** Marks a read-ahead as handled, so a failure elsewhere first does not leave it as an unhandled rejection; awaiting it still throws. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** A source over bytes already in memory (tests, small files). */
export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

