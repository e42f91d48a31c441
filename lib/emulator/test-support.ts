/** Test helpers: an in-memory emulator with a clock the test moves, and its SDK client. */
import type { KMSClient } from '@aws-sdk/client-kms';
import { expect } from 'vitest';
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
