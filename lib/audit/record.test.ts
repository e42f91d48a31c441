import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateKeyCommand, DisableKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

// The shared store and emulator are opened from the configuration: a fresh data dir for this file,
// set before the modules that read the configuration are imported.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-audit-'));
process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = dataDir;

// The request a server action runs in (its session cookie and address), with a real session in the store.
vi.mock('next/headers', async () => (await import('@/lib/auth/test-request')).nextHeaders);

const { defineAction } = await import('@/lib/actions/define-action');
const { signInForTest: signInAs, testRequest } = await import('@/lib/auth/test-request');
const { runWithPeerAddress } = await import('@/lib/security/peer-address');
const { clientsFor } = await import('@/lib/aws/clients');
const { sharedStore } = await import('@/lib/store/shared');
const { listAuditEntries, verifyAuditChain } = await import('./log');
const { recordAuditEvent, recordSignIn } = await import('./record');

const region = 'us-east-1';
const kms = () => clientsFor({ region }).kms;
const newest = async () => (await listAuditEntries((await sharedStore()).db, {}, { limit: 1 }))[0];

let operatorId = '';
beforeAll(async () => {
  operatorId = (await signInAs('operator')).id;
});

afterAll(async () => {
  await (await sharedStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const disable = defineAction({
  name: 'SetKeyEnabled',
  role: 'operator',
  input: z.object({ region: z.string(), keyId: z.string().min(1) }),
  run: async ({ keyId }) => (await kms().send(new DisableKeyCommand({ KeyId: keyId }))).$metadata.requestId,
});

const encrypt = defineAction({
  name: 'Encrypt',
  role: 'operator',
  input: z.object({ region: z.string(), keyId: z.string(), plaintext: z.string() }),
  run: async ({ keyId, plaintext }) => {
    await kms().send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext, 'base64') }));
    return { done: true };
  },
});

describe('every server action is recorded in the audit log', () => {
  it('records a success with the AWS request id of the call it made, and where it applied (the TCP peer, not a forged X-Forwarded-For)', async () => {
    const { KeyMetadata } = await kms().send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    testRequest.headers = { 'x-forwarded-for': '203.0.113.66', 'x-real-ip': '203.0.113.67' };
    const result = await runWithPeerAddress('::ffff:198.51.100.4', () => disable({ region, keyId }));
    testRequest.headers = {};
    expect(result.ok).toBe(true);
    const requestId = result.ok ? result.data : '';
    expect(requestId).toMatch(/\S/);
    expect(await newest()).toMatchObject({
      action: 'SetKeyEnabled',
      outcome: 'ok',
      actor: { id: operatorId, name: 'operator one', role: 'operator', provider: 'local' },
      ip: '198.51.100.4',
      region,
      keyId,
      account: expect.stringMatching(/^\d{12}$/),
      params: { region, keyId },
      requestIds: [requestId],
      errorName: '',
    });
  });

  it('records a KMS error with its exception name and request id', async () => {
    const result = await disable({ region, keyId: '00000000-0000-0000-0000-000000000000' });
    expect(result).toMatchObject({ ok: false, error: { name: 'NotFoundException' } });
    const entry = await newest();
    expect(entry).toMatchObject({ action: 'SetKeyEnabled', outcome: 'error', errorName: 'NotFoundException' });
    expect(entry.requestIds).toHaveLength(1);
  });

  it('records refused input as an error without any AWS call', async () => {
    const result = await disable({ region, keyId: '' });
    expect(result).toMatchObject({ ok: false, error: { name: 'ValidationException' } });
    expect(await newest()).toMatchObject({ outcome: 'error', errorName: 'ValidationException', requestIds: [], params: { keyId: '' } });
  });

  it('records a refusal by the role check as denied, and the refusal still reaches the caller', async () => {
    let ran = false;
    const guarded = defineAction({
      name: 'ScheduleKeyDeletion',
      role: 'admin',
      input: z.object({ region: z.string(), keyId: z.string() }),
      run: async () => (ran = true),
    });
    const viewer = await signInAs('viewer');
    try {
      await expect(guarded({ region, keyId: 'k-1' })).resolves.toMatchObject({ ok: false, error: { name: 'AccessDeniedException' } });
    } finally {
      await signInAs('operator');
    }
    expect(ran).toBe(false);
    expect(await newest()).toMatchObject({ action: 'ScheduleKeyDeletion', outcome: 'denied', errorName: 'AccessDeniedException', keyId: 'k-1', actor: { id: viewer.id, role: 'viewer' }, requestIds: [] });
  });

  it('never stores a plaintext, and says it removed one', async () => {
    const { KeyMetadata } = await kms().send(new CreateKeyCommand({}));
    const plaintext = Buffer.from('the launch codes are 0000').toString('base64');
    const result = await encrypt({ region, keyId: KeyMetadata!.KeyId!, plaintext });
    expect(result.ok).toBe(true);
    const entry = await newest();
    expect(entry).toMatchObject({ action: 'Encrypt', outcome: 'ok', params: { plaintext: '[redacted]' }, redacted: ['plaintext'] });
    const rows = await (await sharedStore()).db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(plaintext);
  });

  it('records a sign-in as the user it signed in, and a refused one with the name that was tried', async () => {
    await recordSignIn({ ok: true, user: { id: 'u-1', name: 'Ada Admin', role: 'admin', provider: 'demo' } });
    expect(await newest()).toMatchObject({ action: 'SignIn', outcome: 'ok', actor: { id: 'u-1', name: 'Ada Admin', role: 'admin', provider: 'demo' } });
    await recordSignIn({ ok: false, provider: 'local', tried: 'mallory', errorName: 'InvalidCredentials', errorMessage: 'Wrong user name or password.' });
    expect(await newest()).toMatchObject({ action: 'SignIn', outcome: 'denied', actor: { id: 'anonymous', name: 'mallory', provider: 'local' }, errorName: 'InvalidCredentials' });
  });

  it('records sign-in events given by the caller, and the chain of all of them verifies', async () => {
    await recordAuditEvent({ action: 'SignIn', outcome: 'denied', errorName: 'LockedOut', errorMessage: 'Too many failed sign-ins.', actor: { id: 'u-9', name: 'mallory', role: 'viewer', provider: 'local' }, params: { userName: 'mallory', password: 'guess' } });
    expect(await newest()).toMatchObject({ action: 'SignIn', actor: { name: 'mallory' }, params: { userName: 'mallory', password: '[redacted]' } });
    expect(await verifyAuditChain((await sharedStore()).db)).toMatchObject({ ok: true, entries: 8 });
  });
});
