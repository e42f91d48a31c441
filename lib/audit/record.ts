/**
 * Writes the console's audit entries: `recordAuditEvent` for one event (sign-in, sign-out, lockout …)
 * and `auditedAction` that wraps every server action in defineAction. The actor is the signed-in
 * session ('anonymous' when none), the origin is the request's address and browser.
 */
import 'server-only';
import { AuthError, clientInfo, currentSession } from '@/lib/auth/session';
import { consoleContext } from '@/lib/kms/scope';
import { sharedStore } from '@/lib/store/shared';
import { collectingRequestIds } from './context';
import { ANONYMOUS, appendAuditEntry, type AuditActor, type AuditEntry, type AuditOutcome } from './log';
import { redactParams } from './redact';

export interface AuditEvent {
  action: string;
  outcome: AuditOutcome;
  /** Redacted here before they are stored. */
  params?: unknown;
  keyId?: string;
  account?: string;
  region?: string;
  errorName?: string;
  errorMessage?: string;
  requestIds?: string[];
  /** Who, when it is not the signed-in session (a failed sign-in names the account it tried). */
  actor?: AuditActor;
}

async function sessionActor(): Promise<AuditActor> {
  try {
    const user = (await currentSession())?.user;
    return user ? { id: user.id, name: user.name, role: user.role, provider: user.provider } : ANONYMOUS;
  } catch {
    // Outside a request (a script, a test) there is no session to read.
    return ANONYMOUS;
  }
}

async function origin(): Promise<{ ip: string; userAgent: string }> {
  try {
    return await clientInfo();
  } catch {
    return { ip: '', userAgent: '' };
  }
}

// Error messages are ours or KMS's and never carry input, but a long base64 run would be a blob: cut it.
const scrubMessage = (message: string) => message.replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, (run) => (/[0-9]/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run) ? '[redacted]' : run));

/** Appends one event to the audit log and returns the stored entry. */
export async function recordAuditEvent(event: AuditEvent): Promise<AuditEntry> {
  const [actor, from, store] = await Promise.all([event.actor ?? sessionActor(), origin(), sharedStore()]);
  const { params, removed } = redactParams(event.params ?? {});
  return appendAuditEntry(store.db, store.backend, {
    timeMs: Date.now(),
    actor,
    ip: from.ip,
    userAgent: from.userAgent,
    account: event.account ?? consoleContext().account,
    region: event.region ?? '',
    keyId: event.keyId ?? '',
    action: event.action,
    params,
    redacted: removed,
    outcome: event.outcome,
    errorName: event.errorName ?? '',
    errorMessage: scrubMessage(event.errorMessage ?? ''),
    requestIds: event.requestIds ?? [],
  });
}

/** What an entry says about where an action applied; by default read from the input's well-known fields. */
export interface AuditFacts {
  keyId?: string;
  account?: string;
  region?: string;
}

const stringField = (input: unknown, name: string): string | undefined => {
  const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/** `keyId` (or `keyArn`, `destinationKeyId`, `aliasName`), `account` and `region` of an action's input. */
export function defaultAuditFacts(input: unknown): AuditFacts {
  return {
    keyId: stringField(input, 'keyId') ?? stringField(input, 'keyArn') ?? stringField(input, 'destinationKeyId') ?? stringField(input, 'aliasName'),
    account: stringField(input, 'account'),
    region: stringField(input, 'region'),
  };
}

type ActionOutcome = { ok: true } | { ok: false; error: { name: string; message: string } };

/**
 * The outcome an entry records. `denied` is the console's own refusal (the role check's AuthError, or
 * its 401/403 answer returned as a result before any AWS call); everything else that failed is `error`.
 */
export function classifyOutcome(result: { ok: true; value: ActionOutcome } | { ok: false; error: unknown }, requestIds: readonly string[]): { outcome: AuditOutcome; errorName: string; errorMessage: string } {
  if (!result.ok) {
    const error = result.error;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: error instanceof AuthError ? 'denied' : 'error', errorName: name, errorMessage: message };
  }
  const value = result.value;
  if (value.ok) return { outcome: 'ok', errorName: '', errorMessage: '' };
  const { name, message } = value.error;
  const denied = name === 'UnauthenticatedException' || (name === 'AccessDeniedException' && requestIds.length === 0);
  return { outcome: denied ? 'denied' : 'error', errorName: name, errorMessage: message };
}

/**
 * Runs one server action call and records it, whatever happens: success, a KMS error, refused input, a
 * refusal by the role check, or a bug (recorded as an error, then rethrown). If the entry cannot be
 * written the call fails: a change the log does not show must not look successful.
 */
export async function auditedAction<I, R extends ActionOutcome>(name: string, raw: I, facts: ((input: I) => AuditFacts) | undefined, run: () => Promise<R>): Promise<R> {
  const { requestIds, details, result } = await collectingRequestIds(run);
  let where = defaultAuditFacts(raw);
  try {
    where = { ...where, ...facts?.(raw) };
  } catch {
    // Input too malformed for the action's own reading (a forged request): the default facts stand.
  }
  const params = Object.keys(details).length > 0 ? { ...(raw && typeof raw === 'object' ? raw : { input: raw }), details } : raw;
  await recordAuditEvent({ action: name, params, ...where, ...classifyOutcome(result, requestIds), requestIds });
  if (!result.ok) throw result.error;
  return result.value;
}

/** A user as the audit log names them. */
export const actorOf = (user: { id: string; name: string; role: string; provider: string }): AuditActor => ({ id: user.id, name: user.name, role: user.role, provider: user.provider });

/**
 * Records a sign-in: `ok` with the user now signed in, or `denied` with what was tried (a local user
 * name, an OIDC refusal code). Called by the sign-in actions and the OIDC callback, which know the user
 * before the new session's cookie reaches the browser.
 */
export async function recordSignIn(outcome: { ok: true; user: { id: string; name: string; role: string; provider: string } } | { ok: false; provider: string; tried: string; errorName: string; errorMessage: string }): Promise<void> {
  if (outcome.ok) {
    await recordAuditEvent({ action: 'SignIn', outcome: 'ok', actor: actorOf(outcome.user), params: { provider: outcome.user.provider } });
    return;
  }
  await recordAuditEvent({
    action: 'SignIn',
    outcome: 'denied',
    actor: { ...ANONYMOUS, name: outcome.tried.slice(0, 128) || 'anonymous', provider: outcome.provider },
    params: { provider: outcome.provider },
    errorName: outcome.errorName,
    errorMessage: outcome.errorMessage,
  });
}

