import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFoundException } from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Role } from '@/lib/auth/roles';
import { defineAction } from './define-action';

// The session comes from the request's cookie (next/headers), which a unit test has not: the signed-in
// role is set here, and the real roleAllows decides. The e2e specs check the same refusal through a real session.
const signedIn = vi.hoisted(() => ({ role: null as Role | null }));
vi.mock('@/lib/auth/session', async () => (await import('@/lib/auth/test-session')).fakeSession(signedIn));

beforeEach(() => {
  signedIn.role = 'admin';
});
// Each call is recorded in the audit log of the configured store: keep it out of the checkout's .keydeck.
process.env.KEYDECK_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-actions-'));

const schema = z.object({ keyId: z.string().min(1, 'must not be empty'), days: z.number().int().min(7).max(30) });

describe('defineAction', () => {
  it('runs with the parsed input and wraps the result', async () => {
    const action = defineAction({ name: 'Test', role: 'operator', input: schema, run: async ({ keyId, days }) => `${keyId}:${days}` });
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: true, data: 'k:7' });
  });

  it('returns a ValidationException naming each bad field without running', async () => {
    let ran = false;
    const action = defineAction({ name: 'Test', role: 'operator', input: schema, run: async () => (ran = true) });
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
      role: 'operator',
      input: schema,
      run: async () => {
        throw new NotFoundException({ message: 'Key is not found.', $metadata: {} });
      },
    });
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: false, error: { name: 'NotFoundException', message: 'Key is not found.' } });
  });

  it('answers an error with the data when `failure` names one (a step that ran but did not pass)', async () => {
    const action = defineAction({ name: 'Test', role: 'operator', input: schema, run: async ({ days }) => ({ passed: days > 10 }), failure: (d) => (d.passed ? undefined : { name: 'LearnStepFailed', message: 'too few days' }) });
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: false, error: { name: 'LearnStepFailed', message: 'too few days' }, data: { passed: false } });
    await expect(action({ keyId: 'k', days: 20 })).resolves.toEqual({ ok: true, data: { passed: true } });
  });

  it('lets a bug throw', async () => {
    const action = defineAction({ name: 'Test', role: 'operator', input: schema, run: async () => { throw new TypeError('boom'); } });
    await expect(action({ keyId: 'k', days: 7 })).rejects.toThrow('boom');
  });

  it('checks the role before anything else: signed out is UnauthenticatedException, too low a role AccessDeniedException', async () => {
    let ran = false;
    const action = defineAction({ name: 'Test', role: 'operator', input: schema, run: async () => (ran = true) });
    signedIn.role = null;
    await expect(action({ keyId: '', days: 1 })).resolves.toEqual({ ok: false, error: { name: 'UnauthenticatedException', message: 'Sign in to Keydeck first.' } });
    signedIn.role = 'viewer';
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: false, error: { name: 'AccessDeniedException', message: 'This needs the operator role.' } });
    expect(ran).toBe(false);
    signedIn.role = 'operator';
    await expect(action({ keyId: 'k', days: 7 })).resolves.toEqual({ ok: true, data: true });
  });
});
