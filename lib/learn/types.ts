/** The shapes of /learn: scenarios made of steps, what a step's run shows, and the progress kept per user. */
import type { Json } from '@/lib/playground/call';

export type { Json };

/** Who a call is made as: the demo accounts' identities (lib/emulator/identities.ts). */
export type LearnIdentity = 'admin' | 'security-admin' | 'app' | 'auditor' | 'partner';

/** One KMS call a step made, as the page shows it. */
export interface LearnCall {
  operation: string;
  region: string;
  as: LearnIdentity;
  /** The caller's ARN, as policies see it. */
  principal: string;
  /** The request members as sent (blobs base64). */
  request: Record<string, Json>;
  /** The response, or null when KMS refused the call. */
  response: Record<string, Json> | null;
  /** The KMS exception the call ended with, if any (expected or not). */
  error?: { name: string; message: string };
  /** Members holding a plaintext or a data key: masked until revealed. */
  secret: { request: string[]; response: string[] };
  requestId?: string;
  at: number;
  /** The AWS CLI commands that make the same call, one line each (credentials first). */
  cli: string[];
  /** The CloudTrail record the call produced (demo mode: there at once), or null if not found. */
  event: { eventId: string; eventName: string; eventTime: string; username?: string; record: Record<string, unknown> } | null;
}

/** Something a step worked out without KMS: an env var line, a policy decision, a cost table. */
export interface LearnNote {
  label: string;
  text: string;
}

export interface StepResult {
  scenario: string;
  step: string;
  passed: boolean;
  /** Why it passed, or why not. */
  reason: string;
  /**
   * A step that did not pass: the KMS exception that ended it, or `LearnStepFailed` (a check that did not
   * hold, an earlier step not run). The server action returns it as its error, so the audit log records an error.
   */
  error?: { name: string; message: string };
  calls: LearnCall[];
  notes: LearnNote[];
}

/** A key a scenario made, so "reset scenario" can schedule its deletion. */
export interface KeyRef {
  arn: string;
  as: LearnIdentity;
}

/** What steps hand to later steps: key ARNs, ciphertexts, digests — never a plaintext. */
export type StepState = Record<string, Json>;

export type StepStatus = 'passed' | 'failed';

/** One saved step of one user. */
export interface StepProgress {
  scenario: string;
  step: string;
  status: StepStatus;
  reason: string;
  updatedAt: number;
}

/** The scenarios as the pages list them (no functions: this crosses to the client). */
export interface ScenarioSummary {
  id: string;
  number: number;
  title: string;
  summary: string;
  steps: { id: string; title: string; what: string; why: string }[];
}
