/**
 * Runs one step of one scenario for one learner: checks the earlier steps passed, gives the step their
 * state, records its calls and their CloudTrail events, and saves the outcome. Reset schedules the
 * scenario's keys for deletion (7 days, the minimum AWS allows) and clears its progress.
 */
import { DeleteAliasCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import type { Kysely } from 'kysely';
import type { Database } from '@/lib/store/schema';
import { clearScenario, loadProgress, saveStep } from './progress';
import { attachEvents, createContext, StepFailure, type LearnClients } from './runtime';
import { scenarioById } from './scenarios';
import type { KeyRef, StepResult, StepState } from './types';

export interface RunStepInput {
  db: Kysely<Database>;
  clients: LearnClients;
  learner: string;
  scenario: string;
  step: string;
  /** The console's emulator endpoint as the learner reaches it, for the CLI commands shown. */
  endpointUrl?: string;
  now?: () => number;
}

/** The error name of a step that failed otherwise than by a KMS exception. */
export const STEP_FAILED = 'LearnStepFailed';

export class UnknownStepError extends Error {
  readonly name = 'NotFoundException';
}

export async function runStep(input: RunStepInput): Promise<StepResult> {
  const scenario = scenarioById(input.scenario);
  const index = scenario?.steps.findIndex((s) => s.id === input.step) ?? -1;
  if (!scenario || index < 0) throw new UnknownStepError(`There is no step ${input.scenario}/${input.step}.`);
  const step = scenario.steps[index];
  const now = input.now ?? Date.now;
  const all = await loadProgress(input.db, input.learner);
  const mine = all.filter((p) => p.scenario === scenario.id);
  const result: StepResult = { scenario: scenario.id, step: step.id, passed: false, reason: '', calls: [], notes: [] };

  const missing = scenario.steps.slice(0, index).find((s) => mine.find((p) => p.step === s.id)?.status !== 'passed');
  if (missing) {
    result.reason = `Run "${missing.title}" first: this step builds on it.`;
    result.error = { name: STEP_FAILED, message: result.reason };
    return result;
  }
  const state: StepState = {};
  for (const s of scenario.steps.slice(0, index)) Object.assign(state, mine.find((p) => p.step === s.id)?.state);
  const learnerKeys: KeyRef[] = all.flatMap((p) => p.keys);

  const { context, recorded } = createContext({ scenario: scenario.id, learner: input.learner, region: scenario.region, state, learnerKeys, clients: input.clients, endpointUrl: input.endpointUrl });
  try {
    result.reason = await step.run(context);
    result.passed = true;
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    result.reason = error.message;
    result.error = { name: error.errorName ?? STEP_FAILED, message: error.message };
  }
  await attachEvents(recorded.calls, input.clients);
  result.calls = recorded.calls;
  result.notes = recorded.notes;
  await saveStep(input.db, {
    userId: input.learner,
    scenario: scenario.id,
    step: step.id,
    status: result.passed ? 'passed' : 'failed',
    reason: result.reason,
    state: result.passed ? recorded.state : {},
    keys: recorded.keys,
    now: Math.floor(now() / 1000),
  });
  return result;
}

export interface ResetResult {
  scheduled: string[];
  /** Keys already pending deletion or gone, with the exception KMS gave. */
  skipped: { arn: string; reason: string }[];
  deletionDate?: string;
}

export async function resetScenario(input: { db: Kysely<Database>; clients: LearnClients; learner: string; scenario: string }): Promise<ResetResult> {
  const scenario = scenarioById(input.scenario);
  if (!scenario) throw new UnknownStepError(`There is no scenario ${input.scenario}.`);
  const progress = await loadProgress(input.db, input.learner, scenario.id);
  const keys = progress.flatMap((p) => p.keys);
  const out: ResetResult = { scheduled: [], skipped: [] };
  for (const p of progress) {
    const alias = p.state.alias;
    if (typeof alias === 'string') await input.clients.kms(scenario.region, 'admin').send(new DeleteAliasCommand({ AliasName: alias })).catch(() => undefined);
  }
  // Newest first: multi-Region replicas before their primary.
  for (const key of [...keys].reverse()) {
    const region = key.arn.split(':')[3];
    try {
      const res = await input.clients.kms(region, key.as).send(new ScheduleKeyDeletionCommand({ KeyId: key.arn, PendingWindowInDays: 7 }));
      out.scheduled.push(key.arn);
      out.deletionDate ??= res.DeletionDate?.toISOString();
    } catch (error) {
      if (!(error instanceof Error && '$metadata' in error)) throw error;
      out.skipped.push({ arn: key.arn, reason: error.name });
    }
  }
  await clearScenario(input.db, input.learner, scenario.id);
  return out;
}
