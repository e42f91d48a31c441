/**
 * The KMS cost model, pure: key storage prorated hourly, the rotation surcharge, requests by price class,
 * the monthly free tier across Regions, totals per day, key, API and caller, and a forecast of the month.
 */
import { PRICE_TABLES, tableFor, type PriceClass, type PriceTable } from './price-table';

const HOUR_MS = 3_600_000;

/** A stored request class (lib/usage/event.ts) and the key's spec → the price class. */
export function priceClassOf(requestClass: string, keySpec: string | undefined): PriceClass {
  if (requestClass === 'gdkp-rsa' || requestClass === 'gdkp-ecc') return requestClass;
  if (requestClass === 'asymmetric') return keySpec === 'RSA_2048' ? 'rsa-2048' : 'asymmetric';
  return 'symmetric';
}

/** The price of `calls` requests of a class, before the free tier. */
export function requestCost(calls: number, priceClass: PriceClass, table: PriceTable): number {
  return (calls / 10_000) * table.requestsPer10k[priceClass];
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
/** Epoch ms of the first instant of a YYYY-MM month, and of the next month. */
export function monthBounds(month: string): [number, number] {
  const [y, m] = month.split('-').map(Number);
  return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)];
}
export const hoursInMonth = (month: string) => {
  const [a, b] = monthBounds(month);
  return (b - a) / HOUR_MS;
};

/** What the storage of a key depends on. Times are epoch ms. */
export interface KeyLifecycle {
  arn: string;
  manager: 'CUSTOMER' | 'AWS';
  createdAt: number;
  /** When the key was deleted (it no longer exists), if it was. */
  deletedAt?: number;
  /** Start of a pending deletion still in force (no charge from then). */
  pendingDeletionSince?: number;
  /** When the key material was rotated (automatic or on demand), any order. */
  rotations: number[];
}

export interface StorageCost {
  storage: number;
  rotation: number;
}

/**
 * Storage and rotation charges of a key over [from, to), hour by hour: each charged hour costs
 * keyMonth / hours-in-that-month, plus rotationMonth / hours for each of the first `chargedRotations`
 * rotations made by then.
 */
export function storageCost(key: KeyLifecycle, from: number, to: number, tables: readonly PriceTable[] = PRICE_TABLES): StorageCost {
  if (key.manager === 'AWS') return { storage: 0, rotation: 0 };
  const end = Math.min(to, key.deletedAt ?? Infinity, key.pendingDeletionSince ?? Infinity);
  let t = Math.max(from, key.createdAt);
  const rotations = [...key.rotations].sort((a, b) => a - b);
  const out: StorageCost = { storage: 0, rotation: 0 };
  // Walk in spans that share a month, a table and a rotation count; charge by the hour.
  while (t < end) {
    const month = monthOf(t);
    const [, monthEnd] = monthBounds(month);
    const table = tableFor(dayOf(t), tables);
    const nextTable = tables.find((x) => x.effectiveFrom > dayOf(t));
    const done = rotations.filter((r) => r <= t).length;
    const nextRotation = rotations.find((r) => r > t);
    const spanEnd = Math.min(end, monthEnd, nextTable ? Date.parse(nextTable.effectiveFrom) : Infinity, nextRotation ?? Infinity);
    const hours = (spanEnd - t) / HOUR_MS;
    const perHour = 1 / hoursInMonth(month);
    out.storage += hours * table.keyMonth * perHour;
    out.rotation += hours * Math.min(done, table.chargedRotations) * table.rotationMonth * perHour;
    t = spanEnd;
  }
  return out;
}

/** Billed calls of one day and dimension combination (refused calls are not billed). */
export interface DailyUsage {
  /** YYYY-MM-DD (UTC). */
  day: string;
  region: string;
  keyArn: string;
  eventName: string;
  principal: string;
  requestClass: string;
  calls: number;
}

export interface CostLine {
  name: string;
  requests: number;
  cost: number;
}

export interface DayCost {
  day: string;
  storage: number;
  rotation: number;
  /** Request charges before the free tier. */
  requestsGross: number;
  /** The free tier used up on this day (requests in order of days). */
  freeCredit: number;
  total: number;
}

export interface MonthCost {
  month: string;
  /** Up to which instant (epoch ms) the month is counted. */
  until: number;
  days: DayCost[];
  /** Request charges before the free tier; storage and rotation included per key. */
  byKey: CostLine[];
  byApi: CostLine[];
  byCaller: CostLine[];
  byRegion: CostLine[];
  storage: number;
  rotation: number;
  requestsGross: number;
  freeCredit: number;
  freeRequestsUsed: number;
  total: number;
}

const add = (map: Map<string, CostLine>, name: string, requests: number, cost: number) => {
  const line = map.get(name) ?? { name, requests: 0, cost: 0 };
  line.requests += requests;
  line.cost += cost;
  map.set(name, line);
};
const sorted = (map: Map<string, CostLine>) => [...map.values()].sort((a, b) => b.cost - a.cost || b.requests - a.requests || a.name.localeCompare(b.name));

export interface MonthCostInput {
  month: string;
  /** Count up to here (epoch ms); the end of the month when absent. */
  until?: number;
  /** Usage of every Region of the account (the free tier spans them). */
  usage: DailyUsage[];
  keys: KeyLifecycle[];
  /** Key ARN → key spec, for asymmetric request prices. */
  keySpecs: Map<string, string>;
  tables?: readonly PriceTable[];
}

/** The cost of a month (or of its first part), with the breakdowns the console charts. */
export function monthCost({ month, until, usage, keys, keySpecs, tables = PRICE_TABLES }: MonthCostInput): MonthCost {
  const [start, monthEnd] = monthBounds(month);
  const end = Math.min(until ?? monthEnd, monthEnd);
  const days = new Map<string, DayCost>();
  for (let t = start; t < end; t += 24 * HOUR_MS) days.set(dayOf(t), { day: dayOf(t), storage: 0, rotation: 0, requestsGross: 0, freeCredit: 0, total: 0 });
  const byKey = new Map<string, CostLine>();
  const byApi = new Map<string, CostLine>();
  const byCaller = new Map<string, CostLine>();
  const byRegion = new Map<string, CostLine>();
  // Free-tier-eligible requests per day (and their price), to spend the free tier in order of days.
  const eligible = new Map<string, { requests: number; price: number }>();
  for (const u of usage) {
    const d = days.get(u.day);
    if (!d || u.calls <= 0) continue;
    const table = tableFor(u.day, tables);
    const priceClass = priceClassOf(u.requestClass, keySpecs.get(u.keyArn));
    const cost = requestCost(u.calls, priceClass, table);
    d.requestsGross += cost;
    add(byKey, u.keyArn || '(no key)', u.calls, cost);
    add(byApi, u.eventName, u.calls, cost);
    add(byCaller, u.principal, u.calls, cost);
    add(byRegion, u.region, u.calls, cost);
    if (table.freeTierClasses.includes(priceClass)) {
      const e = eligible.get(u.day) ?? { requests: 0, price: table.requestsPer10k[priceClass] / 10_000 };
      e.requests += u.calls;
      eligible.set(u.day, e);
    }
  }
  let freeLeft = tableFor(dayOf(start), tables).freeRequestsPerMonth;
  let freeRequestsUsed = 0;
  for (const d of days.values()) {
    const e = eligible.get(d.day);
    if (!e || freeLeft <= 0) continue;
    const used = Math.min(freeLeft, e.requests);
    freeLeft -= used;
    freeRequestsUsed += used;
    d.freeCredit = used * e.price;
  }
  for (const key of keys) {
    let keyTotal = 0;
    for (const d of days.values()) {
      const dayStart = Date.parse(`${d.day}T00:00:00Z`);
      const s = storageCost(key, dayStart, Math.min(dayStart + 24 * HOUR_MS, end), tables);
      d.storage += s.storage;
      d.rotation += s.rotation;
      keyTotal += s.storage + s.rotation;
    }
    if (keyTotal > 0) add(byKey, key.arn, 0, keyTotal);
  }
  let storage = 0;
  let rotation = 0;
  let requestsGross = 0;
  let freeCredit = 0;
  for (const d of days.values()) {
    d.total = d.storage + d.rotation + d.requestsGross - d.freeCredit;
    storage += d.storage;
    rotation += d.rotation;
    requestsGross += d.requestsGross;
    freeCredit += d.freeCredit;
  }
  return {
    month,
    until: end,
    days: [...days.values()],
    byKey: sorted(byKey),
    byApi: sorted(byApi),
    byCaller: sorted(byCaller),
    byRegion: sorted(byRegion),
    storage,
    rotation,
    requestsGross,
    freeCredit,
    freeRequestsUsed,
    total: storage + rotation + requestsGross - freeCredit,
  };
}

export interface Forecast {
  month: string;
  monthToDate: number;
  low: number;
  expected: number;
  high: number;
  /** How many whole days of history the request forecast rests on (at most 7). */
  basisDays: number;
}

/**
 * The month's total: month to date, plus storage of today's keys to the end of the month, plus requests
 * at the trailing 7 days' daily rate (low: the quietest of those days, high: the busiest), with the
 * free tier spent first.
 */
export function forecastMonth(input: Omit<MonthCostInput, 'until' | 'month'> & { now: number }): Forecast {
  const { now, usage, keys, keySpecs, tables = PRICE_TABLES } = input;
  const month = monthOf(now);
  const [, monthEnd] = monthBounds(month);
  const mtd = monthCost({ month, until: now, usage, keys, keySpecs, tables });
  const remainingDays = (monthEnd - now) / (24 * HOUR_MS);
  // Trailing 7 whole days before today (they may fall in the previous month).
  const today = dayOf(now);
  const trailing: string[] = [];
  for (let i = 1; i <= 7; i++) trailing.push(dayOf(Date.parse(`${today}T00:00:00Z`) - i * 24 * HOUR_MS));
  const perDay = new Map<string, { gross: number; eligible: number; price: number }>(trailing.map((d) => [d, { gross: 0, eligible: 0, price: 0 }]));
  const table = tableFor(today, tables);
  for (const u of usage) {
    const d = perDay.get(u.day);
    if (!d) continue;
    const priceClass = priceClassOf(u.requestClass, keySpecs.get(u.keyArn));
    d.gross += requestCost(u.calls, priceClass, table);
    if (table.freeTierClasses.includes(priceClass)) {
      d.eligible += u.calls;
      d.price = table.requestsPer10k[priceClass] / 10_000;
    }
  }
  const earliest = Math.min(...keys.map((k) => k.createdAt), ...usage.map((u) => Date.parse(`${u.day}T00:00:00Z`)), now);
  const basis = trailing.filter((d) => Date.parse(`${d}T00:00:00Z`) >= Date.parse(`${dayOf(earliest)}T00:00:00Z`));
  const rows = basis.map((d) => perDay.get(d)!);
  const freeLeft = Math.max(0, table.freeRequestsPerMonth - mtd.freeRequestsUsed);
  const project = (row: { gross: number; eligible: number; price: number } | undefined) => {
    if (!row) return 0;
    const gross = row.gross * remainingDays;
    const credit = Math.min(freeLeft, row.eligible * remainingDays) * row.price;
    return gross - credit;
  };
  const mean = rows.length
    ? { gross: rows.reduce((s, r) => s + r.gross, 0) / rows.length, eligible: rows.reduce((s, r) => s + r.eligible, 0) / rows.length, price: rows.find((r) => r.price)?.price ?? 0 }
    : undefined;
  const byGross = [...rows].sort((a, b) => a.gross - b.gross);
  let storageRest = 0;
  for (const key of keys) {
    const s = storageCost(key, now, monthEnd, tables);
    storageRest += s.storage + s.rotation;
  }
  const base = mtd.total + storageRest;
  return {
    month,
    monthToDate: mtd.total,
    low: base + project(byGross[0]),
    expected: base + project(mean),
    high: base + project(byGross[byGross.length - 1]),
    basisDays: rows.length,
  };
}
