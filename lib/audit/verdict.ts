/**
 * The chain verdict the /audit page shows on load, kept fast by remembering the verified prefix.
 *
 * Every load checks that the point verified last is unchanged (its hash, the count before it, the log
 * not cut short): a chain rewritten from some entry on, or cut short, is consistent again and only this
 * shows it (and keeps showing it until the process restarts). A small log (≤ FULL_WALK_LIMIT entries) is
 * then walked whole; a larger one only from the verified point on, while a full re-walk runs in the
 * background at most every FULL_EVERY_MS (an edit deep inside the prefix shows up then, or on "Verify
 * all now"). The memory is per process: each console instance verifies for itself.
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
  /** A rewrite or a cut of the tail seen by this process: the chain alone cannot show it again, so it stays. */
  rewritten?: ChainVerdict;
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
  // Whatever the size: the point verified before must still be there, unchanged. A chain that is
  // consistent again after it (rewritten from some entry on, or cut short) is caught only this way.
  if (memory.point) {
    const changed = await checkVerifiedPoint(store.db, memory.point);
    if (changed) {
      const verdict = await fullWalk(store, memory, now);
      if (!verdict.ok) return { verdict, mode: 'full', fullAt: memory.fullAt ?? null };
      memory.rewritten = { ...changed, message: `${changed.message} The chain is consistent again after it: it was rewritten or cut short since it was verified.` };
    }
  }
  if (memory.rewritten) return { verdict: memory.rewritten, mode: 'full', fullAt: memory.fullAt ?? null };
  if (options.full || !memory.point || headSeq <= (options.fullWalkLimit ?? FULL_WALK_LIMIT)) {
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
