/** The eight scenarios of /learn, in order. */
import type { ScenarioDefinition } from '../scenario';
import type { ScenarioSummary } from '../types';
import { cost } from './cost';
import { crossAccount } from './cross-account';
import { envelope } from './envelope';
import { multiRegion } from './multi-region';
import { policyBasics } from './policy-basics';
import { rotation } from './rotation';
import { s3Replication } from './s3-replication';
import { secretsInCode } from './secrets-in-code';

export const SCENARIOS: ScenarioDefinition[] = [secretsInCode, envelope, policyBasics, crossAccount, rotation, multiRegion, s3Replication, cost];

export function scenarioById(id: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** The scenarios without their code, for the pages. */
export function scenarioSummaries(): ScenarioSummary[] {
  return SCENARIOS.map(({ id, number, title, summary, steps }) => ({ id, number, title, summary, steps: steps.map(({ id, title, what, why }) => ({ id, title, what, why })) }));
}
