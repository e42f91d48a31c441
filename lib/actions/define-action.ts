/**
 * The one middleware every server action goes through: parse the input with its zod schema, run it,
 * and turn an expected failure (bad input, a KMS exception) into a typed result instead of a throw.
 * The role check runs first here (and the audit entry belongs here too), so no action repeats them.
 */
import 'server-only';
import type { z } from 'zod';
import { auditedAction, type AuditFacts } from '@/lib/audit/record';
import { accountAllowed, accountRefusalMessage } from '@/lib/auth/account-scope';
import { AuthError, requireRole, type SessionUser } from '@/lib/auth/session';
import { rateLimit, throttledMessage, type RateLimitRule } from '@/lib/security/rate-limit';
import { consoleContext } from '@/lib/kms/scope';
import type { Role } from '@/lib/auth/roles';
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';

/** A failure may carry the action's data too, when it ran to the end but what it did failed (see `failure`). */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: KmsErrorInfo; data?: T };

/** True for an error an AWS SDK client raised from a service's answer (a 4xx such as NotFoundException). */
function isServiceError(error: unknown): error is Error & { $fault: 'client' | 'server' } {
  return error instanceof Error && '$fault' in error && '$metadata' in error;
}

/** Input that breaks the schema, reported like AWS reports it: one line per problem, naming the field. */
export function validationError(issues: readonly z.core.$ZodIssue[]): KmsErrorInfo {
  const lines = issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  return { name: 'ValidationException', message: lines.join('; ') };
}

export interface ActionDefinition<S extends z.ZodType, T> {
  /** The action's name as the audit log will record it, e.g. `ScheduleKeyDeletion`. */
  name: string;
  /** The least role that may run it (checked first, on the server, before the input is even parsed). */
  role: Role;
  input: S;
  run: (input: z.output<S>) => Promise<T>;
  /**
   * False for an action that concerns no AWS account (sign-out): it skips the per-account check, which
   * otherwise holds a scoped user to their accounts (the input's `account`, else the console's default).
   */
  accountScoped?: boolean;
  /** Where the audit entry says the action applied; default: the input's `keyId`, `account` and `region`. */
  audit?: (input: z.input<S>) => AuditFacts;
  /**
   * For an expensive action: a rule of RATE_LIMITS and the bucket a call takes from (per user, per Region …),
   * checked after the role and the input. Over it, the call returns `ThrottlingException` without running.
   */
  rateLimit?: { rule: RateLimitRule; key: (input: z.output<S>, user: SessionUser) => string; what: string };
  /**
   * For an action that returns its outcome rather than throwing (a /learn step that did not pass): the error
   * it ended with, if any. The action then answers `{ ok: false, error, data }`, so the audit log records an
   * error, and the caller still gets what it needs to show.
   */
  failure?: (data: T) => KmsErrorInfo | undefined;
}

/**
 * Builds a server action. Export the result from a `'use server'` file:
 * `export const disableKeyAction = defineAction({ name: 'DisableKey', role: 'operator', input: schema, run: … })`.
 * KMS exceptions come back as `{ ok: false, error: { name, message } }`; anything else is a bug and throws.
 */
export function defineAction<S extends z.ZodType, T>(definition: ActionDefinition<S, T>): (input: z.input<S>) => Promise<ActionResult<T>> {
  // Audit log (lib/audit/record.ts): every call is recorded with its outcome — ok, error (KMS, refused
  // input, bug) or denied (the role check's refusal) — and the AWS request ids it made.
  return (raw) => auditedAction(definition.name, raw, definition.audit, async (): Promise<ActionResult<T>> => {
    let user: SessionUser;
    try {
      user = await requireRole(definition.role);
      if (definition.accountScoped !== false) {
        const named = raw && typeof raw === 'object' ? (raw as { account?: unknown }).account : undefined;
        const account = typeof named === 'string' ? named : consoleContext().account;
        if (!accountAllowed(user, account)) return { ok: false, error: { name: 'AccessDeniedException', message: accountRefusalMessage(user, account) } };
      }
    } catch (error) {
      if (error instanceof AuthError) return { ok: false, error: { name: error.name, message: error.message } };
      throw error;
    }
    const parsed = definition.input.safeParse(raw);
    if (!parsed.success) return { ok: false, error: validationError(parsed.error.issues) };
    if (definition.rateLimit) {
      const verdict = rateLimit(`action:${definition.name}:${definition.rateLimit.key(parsed.data, user)}`, definition.rateLimit.rule);
      if (!verdict.ok) return { ok: false, error: { name: 'ThrottlingException', message: throttledMessage(verdict, definition.rateLimit.what) } };
    }
    try {
      const data = await definition.run(parsed.data);
      const failed = definition.failure?.(data);
      return failed ? { ok: false, error: failed, data } : { ok: true, data };
    } catch (error) {
      if (isServiceError(error) && error.$fault === 'client') return { ok: false, error: { name: error.name, message: error.message } };
      throw error;
    }
  });
}
