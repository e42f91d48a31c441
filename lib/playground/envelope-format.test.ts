import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEmulator } from '@/lib/emulator/test-support';
import {
  bytesSource,
  decodeHeader,
  decryptEnvelope,
  encodeHeader,
  encryptEnvelope,
  envelopeLength,
  EnvelopeFormatError,
  MIN_CHUNK_SIZE,
  readHeader,
  TAG_LENGTH,
} from './envelope-format';
import { generateDataKey, unwrapDataKey } from './envelope-kms';

const { kms } = testEmulator();
let keyId: string;
const CONTEXT = { purpose: 'backup', team: 'orders' };
const CHUNK = MIN_CHUNK_SIZE;

beforeAll(async () => {
  keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
});

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

async function seal(plaintext: Uint8Array, chunkSize = CHUNK, context: Record<string, string> = CONTEXT): Promise<Uint8Array> {
  const dataKey = await generateDataKey(kms, keyId, context);
  const parts: Uint8Array[] = [];
  const length = await encryptEnvelope({
    source: bytesSource(plaintext),
    sink: (b) => void parts.push(b.slice()),
    dataKey: dataKey.plaintext,
    keyArn: dataKey.keyArn,
    encryptedDataKey: dataKey.encrypted,
    encryptionContext: context,
    chunkSize,
  });
  expect(dataKey.plaintext.every((b) => b === 0)).toBe(true); // the caller's copy of the data key is zeroed
  const out = Buffer.concat(parts);
  expect(out.length).toBe(length);
  return new Uint8Array(out);
}

async function open(envelope: Uint8Array, context?: Record<string, string>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await decryptEnvelope({ source: bytesSource(envelope), sink: (b) => void parts.push(b.slice()), unwrap: (h) => unwrapDataKey(kms, h, context) });
  return new Uint8Array(Buffer.concat(parts));
}

describe('envelope format', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * CHUNK + 17])('round-trips %i bytes through KMS and AES-256-GCM chunks', async (size) => {
    const plaintext = randomBytes(size);
    const envelope = await seal(plaintext);
    const { header, bytes } = await readHeader(bytesSource(envelope));
    expect(envelope.length).toBe(envelopeLength(bytes.length, size, CHUNK));
    expect(header.keyArn).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    expect(header.encryptionContext).toEqual(CONTEXT);
    expect(header.chunkSize).toBe(CHUNK);
    expect(await open(envelope)).toEqual(plaintext);
  });

  it('writes the documented header: magic, version, length and canonical JSON', async () => {
    const envelope = await seal(randomBytes(10));
    expect(new TextDecoder().decode(envelope.subarray(0, 7))).toBe('KDENVLP');
    expect(envelope[7]).toBe(0);
    expect(envelope[8]).toBe(1);
    const length = new DataView(envelope.buffer).getUint32(9);
    const json = JSON.parse(new TextDecoder().decode(envelope.subarray(13, 13 + length)));
    expect(Object.keys(json)).toEqual(['alg', 'keyArn', 'encryptedDataKey', 'encryptionContext', 'chunkSize', 'noncePrefix']);
    expect(json.alg).toBe('AES-256-GCM');
  });

  it('refuses a file that is not an envelope, or of another version', async () => {
    await expect(readHeader(bytesSource(new TextEncoder().encode('hello world, not an envelope')))).rejects.toThrow(/not a Keydeck envelope/);
    const envelope = await seal(randomBytes(10));
    envelope[8] = 2;
    await expect(open(envelope)).rejects.toThrow(/version 2 is not supported/);
  });

  it('a flipped bit in any chunk fails authentication and nothing of that chunk is written', async () => {
    const plaintext = randomBytes(3 * CHUNK);
    const envelope = await seal(plaintext);
    const { bytes } = await readHeader(bytesSource(envelope));
    envelope[bytes.length + CHUNK + TAG_LENGTH + 5] ^= 1; // inside chunk 1
    const parts: Uint8Array[] = [];
    await expect(
      decryptEnvelope({ source: bytesSource(envelope), sink: (b) => void parts.push(b.slice()), unwrap: (h) => unwrapDataKey(kms, h) }),
    ).rejects.toThrow(/Chunk 1 failed authentication/);
    expect(parts).toHaveLength(1); // only chunk 0, which was intact
  });

  it('truncation at a chunk boundary fails: the new last chunk was not sealed as final', async () => {
    const envelope = await seal(randomBytes(3 * CHUNK + 100));
    const truncated = envelope.subarray(0, envelope.length - (100 + TAG_LENGTH));
    await expect(open(truncated)).rejects.toThrow(/Chunk 2 failed authentication/);
  });

  it('truncation inside a chunk fails', async () => {
    const envelope = await seal(randomBytes(2 * CHUNK));
    await expect(open(envelope.subarray(0, envelope.length - 7))).rejects.toThrow(EnvelopeFormatError);
    await expect(open(envelope.subarray(0, envelope.length - (CHUNK + 10)))).rejects.toThrow(EnvelopeFormatError);
  });

  it('reordered chunks fail: the nonce and AAD bind each chunk to its index', async () => {
    const envelope = await seal(randomBytes(3 * CHUNK));
    const { bytes } = await readHeader(bytesSource(envelope));
    const sealed = CHUNK + TAG_LENGTH;
    const at = (i: number) => envelope.slice(bytes.length + i * sealed, bytes.length + (i + 1) * sealed);
    const swapped = Buffer.concat([bytes, at(1), at(0), at(2)]);
    await expect(open(new Uint8Array(swapped))).rejects.toThrow(/Chunk 0 failed authentication/);
  });

  it('decrypting with a wrong encryption context fails in KMS with InvalidCiphertextException', async () => {
    const envelope = await seal(randomBytes(100));
    await expect(open(envelope, { purpose: 'backup', team: 'payments' })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('a header edited to claim another context fails: KMS refuses the data key', async () => {
    const envelope = await seal(randomBytes(100));
    const { header, bytes } = await readHeader(bytesSource(envelope));
    const forged = encodeHeader({ ...header, encryptionContext: { purpose: 'other' } });
    const edited = new Uint8Array(Buffer.concat([forged, envelope.subarray(bytes.length)]));
    expect(decodeHeader(forged).encryptionContext).toEqual({ purpose: 'other' });
    await expect(open(edited)).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('a header edited while the right data key is supplied still fails: every chunk authenticates the header', async () => {
    const envelope = await seal(randomBytes(100));
    const { header, bytes } = await readHeader(bytesSource(envelope));
    const forged = encodeHeader({ ...header, encryptionContext: { purpose: 'other' } });
    const edited = new Uint8Array(Buffer.concat([forged, envelope.subarray(bytes.length)]));
    // Unwrap with the original (correct) context, as an attacker holding the data key could.
    await expect(
      decryptEnvelope({ source: bytesSource(edited), sink: () => undefined, unwrap: () => unwrapDataKey(kms, header) }),
    ).rejects.toThrow(/Chunk 0 failed authentication/);
  });

  it('refuses chunk sizes out of range', () => {
    const header = { keyArn: 'k', encryptedDataKey: new Uint8Array(1), encryptionContext: {}, noncePrefix: new Uint8Array(4) };
    expect(() => encodeHeader({ ...header, chunkSize: 10 })).toThrow(/chunk size/);
    expect(() => encodeHeader({ ...header, chunkSize: 65 << 20 })).toThrow(/chunk size/);
  });
});
