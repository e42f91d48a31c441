/**
 * The chain verdict the /audit page shows on load, kept fast by remembering the verified prefix.
 *
 * A small log (≤ FULL_WALK_LIMIT entries) is walked whole on every load. A larger one is walked whole
 * once; later loads check that the remembered point is unchanged (its hash, the count before it, the log
 * not cut short) and walk only the entries appended since, while a full re-walk runs in the background
 * at most every FULL_EVERY_MS (an edit deep inside the prefix shows up then, or on "Verify all now").
 * The memory is per process: each console instance verifies for itself.
 */
import type { Store } from '@/lib/store';
import { checkVerifiedPoint, verifyAuditChain, type ChainVerdict, type VerifiedPoint } from './log';

export const FULL_WALK_LIMIT = 50_000;
export const FULL_EVERY_MS = 10 * 60_000;

export interface ChainStatus {
  verdict: ChainVerdict;
  /** How this load checked: the whole chain, or the remembered prefix plus what was appended since. */
  mode: 'full' | 'incremental';
  /** Epoch ms of the last complete walk that found the chain intact, if any. */
  fullAt: number | null;
}

interface Memory {
  point?: VerifiedPoint;
  fullAt?: number;
  background?: Promise<unknown>;
}

const HOLDER = Symbol.for('keydeck.audit.verified');
type Holder = { [HOLDER]?: Map<string, Memory> };

function memoryFor(store: Store): Memory {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= new Map();
  let memory = holder[HOLDER].get(store.location);
  if (!memory) holder[HOLDER].set(store.location, (memory = {}));
  return memory;
}

/** Forgets the verified prefixes (tests). */
export function forgetVerifiedPrefixes(): void {
  (globalThis as Holder)[HOLDER]?.clear();
}

async function fullWalk(store: Store, memory: Memory, now: number): Promise<ChainVerdict> {
  const verdict = await verifyAuditChain(store.db);
  if (verdict.ok) {
    memory.point = { seq: verdict.headSeq, hash: verdict.headHash };
    memory.fullAt = now;
  } else {
    memory.point = undefined;
  }
  return verdict;
}

export async function auditChainStatus(store: Store, options: { full?: boolean; now?: number; fullWalkLimit?: number } = {}): Promise<ChainStatus> {
  const now = options.now ?? Date.now();
  const memory = memoryFor(store);
  const head = await store.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('head'))
    .executeTakeFirst();
  const headSeq = Number(head?.head ?? 0);
  if (options.full || !memory.point || headSeq <= (options.fullWalkLimit ?? FULL_WALK_LIMIT)) {
    const verdict = await fullWalk(store, memory, now);
    return { verdict, mode: 'full', fullAt: memory.fullAt ?? null };
  }
  if (await checkVerifiedPoint(store.db, memory.point)) {
    // Something before the remembered point changed: walk everything to name the first broken entry.
    const verdict = await fullWalk(store, memory, now);
    return { verdict, mode: 'full', fullAt: memory.fullAt ?? null };
  }
  const verdict = await verifyAuditChain(store.db, { from: memory.point });
  if (!verdict.ok) return { verdict, mode: 'incremental', fullAt: memory.fullAt ?? null };
  memory.point = { seq: verdict.headSeq, hash: verdict.headHash };
  if (!memory.background && now - (memory.fullAt ?? 0) > FULL_EVERY_MS) {
    memory.background = fullWalk(store, memory, now)
      .catch(() => undefined)
      .finally(() => (memory.background = undefined));
  }
  return { verdict, mode: 'incremental', fullAt: memory.fullAt ?? null };
}
