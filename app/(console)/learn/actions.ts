'use server';
/** /learn's writes: run one step of a scenario (for real, against the demo emulator) and reset a scenario. */
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { getConfig } from '@/lib/config';
import { resetScenario, runStep, type ResetResult } from '@/lib/learn/runner';
import { SCENARIOS } from '@/lib/learn/scenarios';
import { learnClients, learnerId } from '@/lib/learn/server';
import type { StepResult } from '@/lib/learn/types';
import { RATE_LIMITS } from '@/lib/security/rate-limit';
import { sharedStore } from '@/lib/store/shared';

const scenarioId = z.enum(SCENARIOS.map((s) => s.id) as [string, ...string[]], { error: 'is not a scenario of /learn' });

const runInput = z
  .object({
    scenario: scenarioId,
    step: z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'is not a step id' }),
    /** The console's emulator endpoint as the browser reaches it, for the CLI commands shown. */
    endpointUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(200).optional(),
  })
  .refine((i) => SCENARIOS.find((s) => s.id === i.scenario)?.steps.some((s) => s.id === i.step), { error: 'is not a step of this scenario', path: ['step'] });

const AWS_MODE = 'The scenarios create keys and act as the demo accounts\u2019 identities, so they run in demo mode only.';

export const runLearnStepAction = defineAction({
  name: 'RunLearnStep',
  role: 'operator',
  input: runInput,
  rateLimit: { rule: RATE_LIMITS.runLearnStep, key: (_input, user) => user.id, what: 'scenario steps' },
  run: async (input): Promise<StepResult> => {
    if (getConfig().mode !== 'demo') return { scenario: input.scenario, step: input.step, passed: false, reason: AWS_MODE, calls: [], notes: [] };
    const store = await sharedStore();
    return runStep({ db: store.db, clients: learnClients(), learner: await learnerId(), scenario: input.scenario, step: input.step, endpointUrl: input.endpointUrl });
  },
  // A step that did not pass is an error in the audit log; the page still shows its calls and reason.
  failure: (result) => result.error,
});

export const resetLearnScenarioAction = defineAction({
  name: 'ResetLearnScenario',
  role: 'operator',
  input: z.object({ scenario: scenarioId }),
  run: async (input): Promise<ResetResult> => {
    if (getConfig().mode !== 'demo') return { scheduled: [], skipped: [] };
    const store = await sharedStore();
    return resetScenario({ db: store.db, clients: learnClients(), learner: await learnerId(), scenario: input.scenario });
  },
});
