/**
 * /learn's server actions (app/(console)/learn/actions.ts) as the audit log sees them: each entry carries the
 * AWS request ids of the step's calls, and a step that did not pass is recorded as an error with the KMS
 * exception that ended it, while the action still hands back the step's calls for the page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DisableKeyCommand } from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@/lib/auth/roles';

// The session comes from the request's cookie, which a unit test has not: the role is set here (as in define-action.test.ts).
const signedIn = vi.hoisted(() => ({ role: null as Role | null }));
vi.mock('@/lib/auth/session', async () => (await import('@/lib/auth/test-session')).fakeSession(signedIn));

process.env.KEYDECK_MODE = 'demo';
process.env.KEYDECK_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'keydeck-learn-actions-'));
delete process.env.KEYDECK_DATABASE_URL;

const { runLearnStepAction, resetLearnScenarioAction } = await import('@/app/(console)/learn/actions');
const { sharedStore } = await import('@/lib/store/shared');
const { sharedEmulator } = await import('@/lib/aws/shared-emulator');
const { listAuditEntries } = await import('@/lib/audit/log');

beforeEach(() => {
  signedIn.role = 'operator';
});

const newest = async (action: string) => (await listAuditEntries((await sharedStore()).db, { action }, { limit: 1 }))[0];
const SCENARIO = 'secrets-in-code';

describe('RunLearnStep and ResetLearnScenario in the audit log', () => {
  it('records a passed step as ok with the request id of every call it made', async () => {
    const result = await runLearnStepAction({ scenario: SCENARIO, step: 'create-key' });
    expect(result.ok).toBe(true);
    const calls = result.ok ? result.data.calls : [];
    expect(calls.map((c) => c.operation)).toEqual(['CreateKey']);
    const entry = await newest('RunLearnStep');
    expect(entry.outcome).toBe('ok');
    expect(calls[0].requestId).toBeTruthy();
    expect(entry.requestIds).toContain(calls[0].requestId);
  });

  it('records a step ended by a KMS exception as an error named after it, and still returns the step', async () => {
    // The scenario's key, disabled behind the learner's back: the next step's Encrypt fails with DisabledException.
    const created = await runLearnStepAction({ scenario: SCENARIO, step: 'create-key' });
    const keyArn = created.ok ? String((created.data.calls[0].response?.KeyMetadata as { Arn: string }).Arn) : '';
    const admin = sharedEmulator().kmsClient({ region: 'us-east-1', accessKeyId: 'test', secretAccessKey: 'test' });
    await admin.send(new DisableKeyCommand({ KeyId: keyArn }));

    const result = await runLearnStepAction({ scenario: SCENARIO, step: 'encrypt-secret' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe('DisabledException');
    expect(result.data?.passed).toBe(false);
    expect(result.data?.calls.map((c) => c.error?.name)).toEqual(['DisabledException']);
    const entry = await newest('RunLearnStep');
    expect(entry.outcome).toBe('error');
    expect(entry.errorName).toBe('DisabledException');
    expect(entry.requestIds).toContain(result.data?.calls[0].requestId);
  });

  it('records a step whose earlier step has not passed as an error, LearnStepFailed', async () => {
    const result = await runLearnStepAction({ scenario: SCENARIO, step: 'decrypt-at-start' });
    expect(result).toMatchObject({ ok: false, error: { name: 'LearnStepFailed' }, data: { passed: false, calls: [] } });
    const entry = await newest('RunLearnStep');
    expect(entry.outcome).toBe('error');
    expect(entry.errorName).toBe('LearnStepFailed');
  });

  it('records the request ids of a reset (ScheduleKeyDeletion of the scenario keys)', async () => {
    const result = await resetLearnScenarioAction({ scenario: SCENARIO });
    expect(result.ok).toBe(true);
    expect(result.ok && result.data.scheduled.length).toBe(2);
    const entry = await newest('ResetLearnScenario');
    expect(entry.outcome).toBe('ok');
    expect(entry.requestIds.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a viewer before running anything, as denied', async () => {
    signedIn.role = 'viewer';
    expect(await runLearnStepAction({ scenario: SCENARIO, step: 'create-key' })).toMatchObject({ ok: false, error: { name: 'AccessDeniedException' } });
    expect((await newest('RunLearnStep')).outcome).toBe('denied');
  });
});
