/**
 * The audit context of one server action: an AsyncLocalStorage that collects the AWS request id of
 * every SDK call the action makes, filled by a tiny middleware on the console's SDK clients.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InitializeHandler, InitializeHandlerArguments, MetadataBearer, MiddlewareStack } from '@smithy/types';

interface AuditContext {
  requestIds: string[];
  details: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<AuditContext>();

/** Runs `fn` collecting request ids; returns its outcome (value or error) with the ids collected. */
export async function collectingRequestIds<R>(
  fn: () => Promise<R>,
): Promise<{ requestIds: string[]; details: Record<string, unknown>; result: { ok: true; value: R } | { ok: false; error: unknown } }> {
  const context: AuditContext = { requestIds: [], details: {} };
  try {
    const value = await storage.run(context, fn);
    return { requestIds: [...context.requestIds], details: { ...context.details }, result: { ok: true, value } };
  } catch (error) {
    return { requestIds: [...context.requestIds], details: { ...context.details }, result: { ok: false, error } };
  }
}

/**
 * Adds a fact the action learnt while running to its audit entry (under `details` in its parameters,
 * redacted like them), e.g. the key policy PutKeyPolicy replaced. Outside an action it is dropped.
 */
export function noteAuditDetail(name: string, value: unknown): void {
  const context = storage.getStore();
  if (context) context.details[name] = value;
}

/** Notes a request id in the current action's context; outside an action (warm-ups, syncs) it is dropped. */
export function noteRequestId(id: string | undefined): void {
  if (id) storage.getStore()?.requestIds.push(id);
}

const requestIdOf = (value: unknown): string | undefined => (value as Partial<MetadataBearer> | undefined)?.$metadata?.requestId;

/**
 * Adds the request-id middleware to an SDK client (once per client; clients are cached). At the
 * initialize step it sees the final answer after retries, success or service error alike.
 */
export function recordRequestIds<I extends object, O extends MetadataBearer>(client: { middlewareStack: MiddlewareStack<I, O> }): void {
  client.middlewareStack.add(
    (next: InitializeHandler<I, O>) => async (args: InitializeHandlerArguments<I>) => {
      try {
        const out = await next(args);
        noteRequestId(out.output.$metadata.requestId);
        return out;
      } catch (error) {
        noteRequestId(requestIdOf(error));
        throw error;
      }
    },
    { step: 'initialize', name: 'keydeckAuditRequestIds', override: true },
  );
}
