/**
 * What a step runs with: SDK clients per identity and Region, a `call` that records each KMS call as the
 * page shows it (request, response, error, CLI twin), checks that stop the step with a reason, and the
 * state handed on to later steps. Written against the SDK clients only.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DEMO_ACCOUNT, PARTNER_ACCOUNT, demoIdentity, type Identity } from '@/lib/emulator/identities';
import { findCallEvent } from '@/lib/playground/trail';
import { toJson } from '@/lib/playground/wire-json';
import { cliCommands, credentialsLine } from './cli';
import type { Json, KeyRef, LearnCall, LearnIdentity, LearnNote, StepState } from './types';

/** The clients a scenario needs: one per identity and Region (demo mode: wired to the emulator). */
export interface LearnClients {
  kms(region: string, as: LearnIdentity): KMSClient;
  cloudtrail(region: string, as: LearnIdentity): CloudTrailClient;
}

const ARN_PART: Record<LearnIdentity, string> = {
  admin: `${DEMO_ACCOUNT}:user/admin`,
  'security-admin': 'assumed-role/security-admin',
  app: 'assumed-role/app',
  auditor: 'user/auditor',
  partner: `${PARTNER_ACCOUNT}:user/admin`,
};

export function identityOf(as: LearnIdentity): Identity {
  return demoIdentity(ARN_PART[as]);
}

export const IDENTITY_LABEL: Record<LearnIdentity, string> = {
  admin: 'the demo account administrator',
  'security-admin': 'the security-admin role',
  app: 'the app role',
  auditor: 'the auditor',
  partner: 'the partner account (444455556666) administrator',
};

/**
 * A check that did not hold, or a call that ended otherwise than expected: the step fails with this reason.
 * `errorName` is the KMS exception that ended it, when one did (the audit log records it).
 */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly errorName?: string,
  ) {
    super(message);
  }
}

interface SdkError {
  name: string;
  message: string;
  $metadata?: { requestId?: string };
}
function isSdkError(error: unknown): error is Error & SdkError {
  return error instanceof Error && '$metadata' in error;
}


export interface CallOptions {
  as?: LearnIdentity;
  region?: string;
  /** Members of the request / response holding a plaintext or a data key. */
  secretRequest?: string[];
  secretResponse?: string[];
}

export interface StepContext {
  scenario: string;
  learner: string;
  /** The scenario's default Region. */
  region: string;
  /** State saved by the earlier steps of this scenario. */
  state: StepState;
  /** Keys every scenario of this learner made (for pricing). */
  learnerKeys: KeyRef[];
  clients: LearnClients;
  /** The console's emulator endpoint as the learner reaches it, for CLI commands a step shows in its notes. */
  endpointUrl?: string;
  /** Makes a call that must succeed; a KMS exception fails the step. */
  call<I extends object, O extends object>(operation: string, input: I, send: (kms: KMSClient, input: I) => Promise<O>, options?: CallOptions): Promise<O>;
  /** Makes a call that must fail with `errorName`; success or another error fails the step. Returns the error. */
  refused<I extends object>(operation: string, input: I, send: (kms: KMSClient, input: I) => Promise<unknown>, errorName: string, options?: CallOptions): Promise<{ name: string; message: string }>;
  check(condition: unknown, reason: string): asserts condition;
  note(label: string, text: string): void;
  /** Hands a value to the later steps. */
  set(name: string, value: Json): void;
  get(name: string): string;
  /** Records a key this scenario made (for reset). */
  keep(key: KeyRef): void;
}

export interface RecordedStep {
  calls: LearnCall[];
  notes: LearnNote[];
  state: StepState;
  keys: KeyRef[];
}

export function createContext(options: {
  scenario: string;
  learner: string;
  region: string;
  state: StepState;
  learnerKeys: KeyRef[];
  clients: LearnClients;
  endpointUrl?: string;
}): { context: StepContext; recorded: RecordedStep } {
  const recorded: RecordedStep = { calls: [], notes: [], state: {}, keys: [] };
  const state: StepState = { ...options.state };

  async function attempt<I extends object, O>(operation: string, input: I, send: (kms: KMSClient, input: I) => Promise<O>, opts: CallOptions) {
    const as = opts.as ?? 'admin';
    const region = opts.region ?? options.region;
    const identity = identityOf(as);
    const call: LearnCall = {
      operation,
      region,
      as,
      principal: identity.arn,
      request: (toJson(input) ?? {}) as Record<string, Json>,
      response: null,
      secret: { request: opts.secretRequest ?? [], response: opts.secretResponse ?? [] },
      at: Date.now(),
      cli: [
        credentialsLine(identity.accessKeyId, identity.secretAccessKey),
        ...cliCommands(operation, input as Record<string, unknown>, { mode: 'demo', region, endpointUrl: options.endpointUrl }),
      ],
      event: null,
    };
    recorded.calls.push(call);
    try {
      const output = await send(options.clients.kms(region, as), input);
      call.response = (toJson(output) ?? {}) as Record<string, Json>;
      call.requestId = (output as { $metadata?: { requestId?: string } }).$metadata?.requestId;
      return { output, error: undefined };
    } catch (error) {
      if (!isSdkError(error)) throw error;
      call.error = { name: error.name, message: error.message };
      call.requestId = error.$metadata?.requestId;
      return { output: undefined, error: call.error };
    }
  }

  const context: StepContext = {
    scenario: options.scenario,
    learner: options.learner,
    region: options.region,
    state,
    learnerKeys: options.learnerKeys,
    clients: options.clients,
    endpointUrl: options.endpointUrl,
    async call(operation, input, send, opts = {}) {
      const { output, error } = await attempt(operation, input, send, opts);
      if (error) throw new StepFailure(`${operation} failed with ${error.name}: ${error.message}`, error.name);
      return output!;
    },
    async refused(operation, input, send, errorName, opts = {}) {
      const { error } = await attempt(operation, input, send, opts);
      if (!error) throw new StepFailure(`${operation} succeeded, but it should have been refused with ${errorName}.`);
      if (error.name !== errorName) throw new StepFailure(`${operation} was refused with ${error.name} instead of ${errorName}: ${error.message}`, error.name);
      return error;
    },
    check(condition, reason) {
      if (!condition) throw new StepFailure(reason);
    },
    note(label, text) {
      recorded.notes.push({ label, text });
    },
    set(name, value) {
      state[name] = value;
      recorded.state[name] = value;
    },
    get(name) {
      const value = state[name];
      if (typeof value !== 'string') throw new StepFailure(`This step needs "${name}" from an earlier step: run the earlier steps first.`);
      return value;
    },
    keep(key) {
      recorded.keys.push(key);
    },
  };
  return { context, recorded };
}

/** Finds each call's CloudTrail event: in the caller's account first, then in the key owner's (demo account). */
export async function attachEvents(calls: LearnCall[], clients: LearnClients): Promise<void> {
  for (const call of calls) {
    if (!call.requestId) continue;
    const query = { eventName: call.operation, requestId: call.requestId, since: call.at };
    const trails: LearnIdentity[] = call.as === 'partner' ? ['partner', 'admin'] : ['admin'];
    for (const as of trails) {
      const found = await findCallEvent(clients.cloudtrail(call.region, as), query).catch(() => null);
      if (found) {
        call.event = found;
        break;
      }
    }
  }
}
