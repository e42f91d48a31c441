/**
 * Every /learn scenario end to end against an in-process emulator through the SDK, with progress in the
 * store (SQLite, and PostgreSQL when configured): each step passes and shows its calls, CloudTrail events
 * and CLI twins; order is enforced; reset schedules the scenario's keys for deletion and clears progress.
 */
import { DescribeKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '@/lib/emulator';
import { testBackends } from '@/lib/store/test-support';
import type { Store } from '@/lib/store/open';
import { loadProgress } from './progress';
import { resetScenario, runStep } from './runner';
import { SCENARIOS, scenarioById } from './scenarios';
import { emulatorClients } from './test-support';
import type { LearnClients } from './runtime';

const ENDPOINT = 'http://localhost:3000/api/kms';

for (const backend of testBackends) {
  describe(`/learn scenarios (${backend.name})`, () => {
    let emulator: Emulator;
    let clients: LearnClients;
    let store: Store;
    beforeAll(async () => {
      emulator = createEmulator();
      clients = emulatorClients(emulator);
      store = await backend.open();
    });
    afterAll(async () => {
      await store.close();
      await emulator.close();
    });

    const run = (scenario: string, step: string, learner = 'alice') => runStep({ db: store.db, clients, learner, scenario, step, endpointUrl: ENDPOINT });

    for (const scenario of SCENARIOS) {
      it(`scenario ${scenario.number} (${scenario.id}) passes every step, showing calls, events and CLI commands`, async () => {
        for (const step of scenario.steps) {
          const result = await run(scenario.id, step.id);
          expect(result.reason, `${scenario.id}/${step.id}`).toBeTruthy();
          expect({ step: step.id, passed: result.passed, reason: result.reason }).toEqual({ step: step.id, passed: true, reason: result.reason });
          for (const call of result.calls) {
            expect(call.cli[0]).toMatch(/^export AWS_ACCESS_KEY_ID=/);
            expect(call.cli.at(-1)).toContain(`--endpoint-url ${ENDPOINT}`);
            expect(call.cli.at(-1)).toContain(`--region ${call.region}`);
            expect(call.requestId, `${step.id}: ${call.operation}`).toBeTruthy();
            expect(call.event?.record.requestID, `${step.id}: the CloudTrail event of ${call.operation}`).toBe(call.requestId);
            // CloudTrail records AccessDeniedException as AccessDenied, as AWS does.
            expect(call.event?.record.errorCode).toBe(call.error?.name === 'AccessDeniedException' ? 'AccessDenied' : call.error?.name);
          }
          // A CLI command a note shows (cost: LookupEvents) names the console's endpoint too.
          for (const note of result.notes.filter((n) => /^aws /m.test(n.text))) expect(note.text, note.label).toContain(`--endpoint-url ${ENDPOINT}`);
        }
        const progress = await loadProgress(store.db, 'alice', scenario.id);
        expect(progress.map((p) => p.status)).toEqual(scenario.steps.map(() => 'passed'));
        // Nothing secret is kept: the saved state holds no Plaintext of any call.
        expect(JSON.stringify(progress)).not.toMatch(/Plaintext/);
      });
    }

    it('the denied call names the key policy statement that decided it', async () => {
      await run('key-policy-basics', 'default-policy', 'dora');
      await run('key-policy-basics', 'custom-policy', 'dora');
      await run('key-policy-basics', 'admins-vs-users', 'dora');
      const result = await run('key-policy-basics', 'denied-explained', 'dora');
      const decrypt = result.calls.find((c) => c.operation === 'Decrypt');
      expect(decrypt?.as).toBe('auditor');
      expect(decrypt?.error?.name).toBe('AccessDeniedException');
      expect(decrypt?.event?.record.errorCode).toBe('AccessDenied');
      expect(result.notes.find((n) => n.label === 'Simulation')?.text).toMatch(/ExplicitDeny.*"Deny the auditor plaintext"/s);
    });

    it('secrets are named for masking: plaintexts in requests and responses', async () => {
      await run('secrets-in-code', 'create-key', 'erin');
      const encrypt = await run('secrets-in-code', 'encrypt-secret', 'erin');
      expect(encrypt.calls[0].secret.request).toEqual(['Plaintext']);
      expect(encrypt.notes[0].text).toMatch(/^DB_PASSWORD_ENCRYPTED=/);
      const decrypt = await run('secrets-in-code', 'decrypt-at-start', 'erin');
      expect(decrypt.calls[0].secret.response).toEqual(['Plaintext']);
      expect(decrypt.calls[0].principal).toContain('assumed-role/app');
    });

    it('a step whose earlier steps have not passed does not run', async () => {
      const result = await run('multi-region', 'decrypt-replica', 'bob');
      expect(result.passed).toBe(false);
      expect(result.reason).toMatch(/^Run ".*" first/);
      expect(result.calls).toEqual([]);
    });

    it('an unknown step is refused', async () => {
      await expect(run('rotation', 'no-such-step')).rejects.toMatchObject({ name: 'NotFoundException' });
    });

    it('reset schedules the scenario\'s keys for deletion in 7 days, deletes its alias and clears its progress', async () => {
      const rotation = scenarioById('rotation')!;
      for (const step of rotation.steps) expect((await run('rotation', step.id, 'carol')).passed).toBe(true);
      const keys = (await loadProgress(store.db, 'carol', 'rotation')).flatMap((p) => p.keys);
      expect(keys).toHaveLength(3);
      const reset = await resetScenario({ db: store.db, clients, learner: 'carol', scenario: 'rotation' });
      expect(reset.scheduled).toEqual([...keys].reverse().map((k) => k.arn));
      const days = (Date.parse(reset.deletionDate!) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThan(7.1);
      for (const key of keys) {
        const out = await clients.kms('us-east-1', 'admin').send(new DescribeKeyCommand({ KeyId: key.arn }));
        expect(out.KeyMetadata?.KeyState).toBe('PendingDeletion');
      }
      const aliases = await clients.kms('us-east-1', 'admin').send(new ListAliasesCommand({}));
      expect(aliases.Aliases?.some((a) => a.TargetKeyId && keys.some((k) => k.arn.endsWith(a.TargetKeyId!)))).toBe(false);
      expect(await loadProgress(store.db, 'carol', 'rotation')).toEqual([]);
      // Other learners' progress is untouched.
      expect((await loadProgress(store.db, 'alice', 'rotation')).length).toBe(rotation.steps.length);
    });

    it('reset of a multi-Region scenario schedules the replica and the primary, in the partner account too for cross-account', async () => {
      for (const id of ['multi-region', 'cross-account']) {
        for (const step of scenarioById(id)!.steps) expect((await run(id, step.id, 'frank')).passed).toBe(true);
        const reset = await resetScenario({ db: store.db, clients, learner: 'frank', scenario: id });
        expect(reset.skipped).toEqual([]);
        expect(reset.scheduled).toHaveLength(2);
      }
    });
  });
}
