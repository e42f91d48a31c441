/**
 * The clean-up list: customer managed keys nobody but Keydeck called in the last N days, with what each
 * costs a month, and keys pending deletion that someone still calls (deleting them would break that
 * caller). Keydeck's own calls (inventory reads, its user agent) never count as use. Store queries
 * through lib/usage/aggregate.ts; the keys come from the caller (the inventory).
 */
import type { PriceTable } from '@/lib/pricing/price-table';
import { keysWithCalls, listEvents } from './aggregate';
import { DAY_S, HOUR_S, type Db } from './event-store';
import type { UnusedDays } from './range';

export { UNUSED_DAYS, type UnusedDays } from './range';

/** A key as the inventory knows it. */
export interface KeyFacts {
  arn: string;
  id: string;
  /** Its first alias, else its id. */
  name: string;
  manager: 'CUSTOMER' | 'AWS';
  state: string;
  createdAt: number;
  deletionAt?: number;
  /** When its deletion was scheduled (epoch ms), if the store holds the ScheduleKeyDeletion event. */
  scheduledAt?: number;
  /** When its material was rotated (the first two rotations add to the monthly price). */
  rotations: number[];
}

export interface UnusedKeyRow {
  arn: string;
  id: string;
  name: string;
  state: string;
  createdAt: number;
  /** What keeping it costs a month at today's prices (USD): storage and the rotation surcharge. */
  monthly: number;
}

export interface PendingButCalled {
  arn: string;
  id: string;
  name: string;
  deletionAt: number | null;
  /** Calls since the deletion was scheduled (or in the window, when that is unknown); `capped`: at least this many. */
  calls: number;
  errors: number;
  capped: boolean;
  /** Counted from here (epoch seconds): the scheduling, or the window's start when the store lacks it. */
  since: number;
  /** Newest call other than Keydeck's, epoch seconds. */
  lastCall: number | null;
  /** Who still calls it, busiest first. */
  callers: { name: string; calls: number }[];
}

export interface UnusedKeysReport {
  account: string;
  region: string;
  days: UnusedDays;
  /** The window looked at, epoch seconds [from, to). */
  from: number;
  to: number;
  /** The oldest call the store holds for this account and Region (null: none): use before it is unknown. */
  historyFrom: number | null;
  keys: UnusedKeyRow[];
  /** Sum of `keys[].monthly`. */
  monthlyTotal: number;
  pendingButCalled: PendingButCalled[];
  priceSource: string;
  pricesCheckedOn: string;
}

const DELETING = new Set(['PendingDeletion', 'PendingReplicaDeletion']);
const PENDING_SAMPLE = 1000;

/** A key's monthly price: a key-month plus the surcharge of its first rotations. */
export function monthlyCost(key: Pick<KeyFacts, 'rotations'>, table: PriceTable): number {
  return table.keyMonth + Math.min(key.rotations.length, table.chargedRotations) * table.rotationMonth;
}

export async function unusedKeys(
  db: Db,
  o: { account: string; region: string; days: UnusedDays; keys: KeyFacts[]; table: PriceTable; nowS: number },
): Promise<UnusedKeysReport> {
  const to = Math.floor(o.nowS / HOUR_S) * HOUR_S + HOUR_S;
  const from = to - o.days * DAY_S;
  const scope = { account: o.account, region: o.region, from, to, hideKeydeck: true };
  const called = await keysWithCalls(db, scope);
  const customer = o.keys.filter((k) => k.manager === 'CUSTOMER');
  const keys = customer
    .filter((k) => !DELETING.has(k.state) && !called.has(k.arn))
    .map((k) => ({ arn: k.arn, id: k.id, name: k.name, state: k.state, createdAt: k.createdAt, monthly: monthlyCost(k, o.table) }))
    .sort((a, b) => b.monthly - a.monthly || a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  // A key pending deletion counts as still called when someone (not Keydeck) called it after the deletion
  // was scheduled: read from the raw events, exact to the second (the roll-ups are hourly, and the calls in
  // the hour before the scheduling must not count). Few keys, at most PENDING_SAMPLE events each.
  const pendingButCalled = (
    await Promise.all(
      customer
        .filter((k) => DELETING.has(k.state))
        .map(async (k): Promise<PendingButCalled | null> => {
          // From the second after the scheduling: within its second, a call before it cannot be told from one after.
          const since = k.scheduledAt === undefined ? from : Math.max(from, Math.floor(k.scheduledAt / 1000) + 1);
          const events = (await listEvents(db, { ...scope, from: since, keyArn: k.arn }, PENDING_SAMPLE)).filter((e) => e.eventName !== 'ScheduleKeyDeletion');
          if (events.length === 0) return null;
          const callers = new Map<string, number>();
          for (const e of events) callers.set(e.principal, (callers.get(e.principal) ?? 0) + 1);
          return {
            arn: k.arn,
            id: k.id,
            name: k.name,
            deletionAt: k.deletionAt ?? null,
            calls: events.length,
            errors: events.filter((e) => e.errorCode !== '').length,
            capped: events.length >= PENDING_SAMPLE - 1,
            since,
            lastCall: events[0].time,
            callers: [...callers].map(([name, calls]) => ({ name, calls })).sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name)),
          };
        }),
    )
  ).filter((k): k is PendingButCalled => k !== null);
  pendingButCalled.sort((a, b) => (a.deletionAt ?? Infinity) - (b.deletionAt ?? Infinity) || a.name.localeCompare(b.name));
  const oldest = await db
    .selectFrom('usage_events')
    .select((eb) => eb.fn.min('time').as('t'))
    .where('account', '=', o.account)
    .where('region', '=', o.region)
    .executeTakeFirst();
  return {
    account: o.account,
    region: o.region,
    days: o.days,
    from,
    to,
    historyFrom: oldest?.t === null || oldest?.t === undefined ? null : Number(oldest.t),
    keys,
    monthlyTotal: keys.reduce((s, k) => s + k.monthly, 0),
    pendingButCalled,
    priceSource: o.table.source,
    pricesCheckedOn: o.table.checkedOn,
  };
}
