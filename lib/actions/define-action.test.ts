import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundException } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from './define-action';

// Each call is recorded in the audit log of the configured store: keep it out of the checkout's .keydeck.
process.env.KEYDECK_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-actions-'));

const schema = z.object({ keyId: z.string().min(1, 'must not be empty'), days: z.number().int().min(7).max(30) });

describe('defineAction', () => {
  it('runs with the parsed input and wraps the result', async () => {
    const action = defineAction({ name: 'Test', input: schema, run: async ({ keyId, days }) => `${keyId}:${days}` });
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: true, data: 'k:7' });
  });

  it('returns a ValidationException naming each bad field without running', async () => {
    let ran = false;
    const action = defineAction({ name: 'Test', input: schema, run: async () => (ran = true) });
    const result = await action({ keyId: '', days: 31 });
    expect(ran).toBe(false);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.name).toBe('ValidationException');
      expect(result.error.message).toContain('keyId: must not be empty');
      expect(result.error.message).toContain('days:');
    }
  });

  it('returns a KMS client exception with its name and message', async () => {
    const action = defineAction({
      name: 'Test',
      input: schema,
      run: async () => {
        throw new NotFoundException({ message: 'Key is not found.', $metadata: {} });
      },
    });
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: false, error: { name: 'NotFoundException', message: 'Key is not found.' } });
  });

  it('lets a bug throw', async () => {
    const action = defineAction({ name: 'Test', input: schema, run: async () => { throw new TypeError('boom'); } });
    await expect(action({ keyId: 'k', days: 7 })).rejects.toThrow('boom');
  });
});
