/** Test helpers: an in-memory emulator with a clock the test moves, and its SDK client. */
import type { KMSClient } from '@aws-sdk/client-kms';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'vitest';
import { Sha256 } from './sha256';
import { createEmulator, type Emulator, type EmulatorOptions } from './index';

export interface TestEmulator {
  emulator: Emulator;
  kms: KMSClient;
  /** Moves the emulator's clock forward. */
  advance(ms: number): void;
  now(): Date;
}

export function testEmulator(options: Omit<EmulatorOptions, 'clock'> = {}, start = new Date('2026-01-01T00:00:00Z')): TestEmulator {
  let now = start.getTime();
  const emulator = createEmulator({ ...options, clock: () => new Date(now) });
  return {
    emulator,
    kms: emulator.kmsClient(),
    advance: (ms) => {
      now += ms;
    },
    now: () => new Date(now),
  };
}

/** What the SDK raises for an AWS error: its name and HTTP status. */
export const awsError = (name: string, status = 400) => ({ name, $metadata: expect.objectContaining({ httpStatusCode: status }) });

export const DAY = 86_400_000;
export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** A web Request to the emulator, SigV4-signed as an SDK would sign it (or left unsigned, or signed with other keys). */
export async function signedRequest(
  target: string | null,
  body: string,
  { accessKeyId = 'test', secretAccessKey = 'test', region = 'us-east-1', signingDate = new Date(), unsigned = false } = {},
): Promise<Request> {
  const headers: Record<string, string> = { host: 'localhost', 'content-type': 'application/x-amz-json-1.1' };
  if (target) headers['x-amz-target'] = target;
  if (!unsigned) {
    const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service: 'kms', sha256: Sha256 });
    const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', headers, body }), { signingDate });
    Object.assign(headers, signed.headers);
  }
  return new Request('http://localhost/', { method: 'POST', headers, body });
}
