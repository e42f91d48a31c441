/** How a scenario is defined: data (titles, explanations) plus, per step, the code that runs it and checks the result. */
import type { StepContext } from './runtime';

export interface StepDefinition {
  id: string;
  title: string;
  /** What the step does, in a sentence or two. */
  what: string;
  /** Why it matters. */
  why: string;
  /** Runs the step through the SDK; returns why it passed, or throws StepFailure with why not. */
  run(ctx: StepContext): Promise<string>;
}

export interface ScenarioDefinition {
  /** URL segment and the `keydeck:scenario` tag value. */
  id: string;
  number: number;
  title: string;
  summary: string;
  /** The Region the scenario works in (a second one where it says so). */
  region: string;
  steps: StepDefinition[];
}
