/** Builds the usage page's report for a scope, range and filter: charts from the roll-ups, cost from the price table. */
import 'server-only';
import { ListKeyRotationsCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, stsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import { getInventory } from '@/lib/kms/inventory-cache';
import type { KeyRow } from '@/lib/kms/inventory-types';
import { consoleContext } from '@/lib/kms/scope';
import { dayOf, forecastMonth, monthBounds, monthCost, monthOf, priceClassOf, requestCost, storageCost, type KeyLifecycle } from '@/lib/pricing/cost';
import { PRICE_TABLES, tableFor } from '@/lib/pricing/price-table';
import { sharedStore } from '@/lib/store/shared';
import { bucketFor, dailyBilled, keysWithCalls, pageCharts, topCallers, topOperations, totals, type RangeName, type UsageFilter } from './aggregate';
import { DAY_S, DEFAULT_RETENTION, getRetention, type Db } from './event-store';
import { eventDataStoreRegion, lakePageCharts, lakeSource } from './lake';
import { QUOTA_SOURCE, symmetricQuota } from './quotas';
import { FIXED_RANGES, resolveRange, type RangeChoice } from './range';
import type { KeyUsageReport, UsageQuery, UsageReport } from './report-types';
import { getUsageSource } from './source';
import { unusedKeys, type KeyFacts, type UnusedDays, type UnusedKeysReport } from './unused';

/** Reads a usage query from URL parameters; unknown values fall back to defaults. */
export function parseUsageQuery(params: URLSearchParams | Record<string, string | string[] | undefined>, region: string, account?: string): UsageQuery {
  const get = (name: string) => {
    const v = params instanceof URLSearchParams ? params.get(name) : params[name];
    const s = Array.isArray(v) ? v[0] : v;
    return s && s.length <= 2048 ? s : undefined;
  };
  const range = get('range');
  const custom = range === 'custom';
  return {
    region,
    ...(account === undefined ? {} : { account }),
    range: custom ? 'custom' : range && range in FIXED_RANGES ? (range as RangeChoice) : '30d',
    from: custom ? get('from')?.slice(0, 64) : undefined,
    to: custom ? get('to')?.slice(0, 64) : undefined,
    key: get('key'),
    op: get('op'),
    caller: get('caller'),
    error: get('error'),
    hideKeydeck: get('own') === 'hide' || undefined,
  };
}

/**
 * The store filter of a query. `windowDays` is how far back a custom range may start (the raw events'
 * retention); a bad custom range throws UsageRangeError (a ValidationException, HTTP 400 in the routes).
 */
export function filterOf(q: UsageQuery, account: string, nowS: number, windowDays: number = DEFAULT_RETENTION.rawDays): UsageFilter {
  const { from, to } = resolveRange(q, nowS, windowDays);
  return { account, region: q.region, from, to, keyArn: q.key, eventName: q.op, principal: q.caller, errorCode: q.error, hideKeydeck: q.hideKeydeck };
}

// Account ids resolved with STS, per account name (they never change).
const accountIds = new Map<string, string>();

/** The 12-digit id of a configured account: from KEYDECK_ACCOUNTS, else who the credentials are (STS GetCallerIdentity). */
async function accountIdOf(name: string, region: string): Promise<string> {
  const configured = consoleContext().accounts.find((a) => a.name === name)?.accountId;
  if (configured) return configured;
  let id = accountIds.get(name);
  if (!id) {
    id = (await stsFor({ region, account: name }).send(new GetCallerIdentityCommand({}))).Account ?? name;
    accountIds.set(name, id);
  }
  return id;
}

/** How many days back a custom range may start: the store keeps raw events this long (the retention setting, 90 days by default). */
export async function storeWindowDays(db?: Db): Promise<number> {
  return (await getRetention(db ?? (await sharedStore()).db)).rawDays;
}

// Rotation dates per key change rarely; asking KMS once per key every ten minutes is plenty.
const rotationCache = new Map<string, { at: number; dates: number[] }>();

async function rotationsOf(region: string, key: KeyRow): Promise<number[]> {
  if (key.manager !== 'CUSTOMER' || key.type !== 'Symmetric') return [];
  const cacheKey = `${region}/${key.id}`;
  const cached = rotationCache.get(cacheKey);
  if (cached && Date.now() - cached.at < 600_000) return cached.dates;
  const dates: number[] = [];
  try {
    let Marker: string | undefined;
    do {
      const page = await clientsFor({ region }).kms.send(new ListKeyRotationsCommand({ KeyId: key.id, Marker }));
      for (const r of page.Rotations ?? []) if (r.RotationDate) dates.push(r.RotationDate.getTime());
      Marker = page.Truncated ? page.NextMarker : undefined;
    } while (Marker);
  } catch {
    // Not allowed to list rotations: the storage is still right, only the rotation surcharge is missing.
  }
  rotationCache.set(cacheKey, { at: Date.now(), dates });
  return dates;
}

async function keyLifecycles(db: Db, account: string, regions: string[]) {
  const keys: KeyLifecycle[] = [];
  const rows: { region: string; arn: string; key: KeyRow; life: KeyLifecycle; scheduledAt?: number }[] = [];
  const keySpecs = new Map<string, string>();
  const keyNames: Record<string, string> = {};
  for (const region of regions) {
    const inventory = await getInventory({ account, region });
    // CloudTrail names keys by ARN, with the account's 12-digit id (not the name the console gives the account).
    const accountId = await accountIdOf(account, region);
    const arnOf = (k: KeyRow) => `arn:aws:kms:${region}:${accountId}:key/${k.id}`;
    const pending = inventory.keys.filter((k) => k.state === 'PendingDeletion');
    // When a pending deletion began: the newest ScheduleKeyDeletion in the event store, else now.
    const scheduled = new Map<string, number>();
    if (pending.length > 0) {
      const rows = await db
        .selectFrom('usage_events')
        .select(['key_arn', (eb) => eb.fn.max('time').as('t')])
        .where('account', '=', account)
        .where('region', '=', region)
        .where('event_name', '=', 'ScheduleKeyDeletion')
        .where('error_code', '=', '')
        .where('key_arn', 'in', pending.map(arnOf))
        .groupBy('key_arn')
        .execute();
      for (const r of rows) scheduled.set(r.key_arn, Number(r.t) * 1000);
    }
    for (const k of inventory.keys) {
      const arn = arnOf(k);
      keySpecs.set(arn, k.spec);
      if (k.aliases[0]) keyNames[arn] = k.aliases[0];
      const life: KeyLifecycle = {
        arn,
        manager: k.manager,
        createdAt: k.createdAt,
        pendingDeletionSince: k.state === 'PendingDeletion' ? (scheduled.get(arn) ?? Date.now()) : undefined,
        rotations: await rotationsOf(region, k),
      };
      keys.push(life);
      rows.push({ region, arn, key: k, life, scheduledAt: scheduled.get(arn) });
    }
  }
  return { keys, rows, keySpecs, keyNames };
}

export async function usageReport(q: UsageQuery, now = Date.now()): Promise<UsageReport> {
  const { regions } = consoleContext();
  const account = q.account ?? consoleContext().account;
  const store = await sharedStore();
  const db = store.db;
  const windowDays = await storeWindowDays(db);
  const f = filterOf(q, account, Math.floor(now / 1000), windowDays);
  const bucket = bucketFor(f.from, f.to);
  // Settings may send the charts and the cost inputs to a CloudTrail Lake event data store (aws mode only).
  const source = getConfig().mode === 'aws' ? await getUsageSource(db) : ({ kind: 'store' } as const);
  let billed: typeof dailyBilled = dailyBilled;
  let charts;
  if (source.kind === 'lake') {
    const lake = lakeSource(clientsFor({ region: eventDataStoreRegion(source.eventDataStore) ?? q.region }).cloudtrail, source.eventDataStore);
    // The store keys events by the account's configured name; Lake's recipientAccountId is its 12-digit id.
    const accountId = await accountIdOf(account, q.region);
    charts = await lakePageCharts(lake, { ...f, account: accountId }, bucket);
    billed = (_db, _account, ...args) => lake.dailyBilled(accountId, ...args);
  } else {
    charts = await pageCharts(db, f, bucket);
  }
  let cost: UsageReport['cost'] = null;
  let unused: UsageReport['unused'] = null;
  let costError: string | null = null;
  let keyNames: Record<string, string> = {};
  try {
    const life = await keyLifecycles(db, account, regions);
    keyNames = life.keyNames;
    // Whole months from the one the range starts in to this one, plus the 7 days before for the forecast.
    const firstMonth = monthOf(Math.min(f.from * 1000, now - 8 * DAY_S * 1000));
    const [usageFrom] = monthBounds(firstMonth);
    // Per day only where the key sets the price (few rows), and per key, API and caller for this month's breakdowns.
    const monthStart = monthBounds(monthOf(now))[0] / 1000;
    const [usage, usageByKey, usageByApi, usageByCaller] = await Promise.all([
      billed(db, account, regions, usageFrom / 1000, f.to, { keys: 'priced' }),
      billed(db, account, regions, monthStart, f.to),
      billed(db, account, regions, monthStart, f.to, { by: 'api' }),
      billed(db, account, regions, monthStart, f.to, { by: 'caller' }),
    ]);
    const days: { day: string; storage: number; requests: number }[] = [];
    const fromDay = dayOf(f.from * 1000);
    let monthToDate = 0;
    let freeRequestsUsed = 0;
    for (let m = firstMonth; m <= monthOf(now); m = monthOf(monthBounds(m)[1])) {
      const mc = monthCost({ month: m, until: now, usage, keys: life.keys, keySpecs: life.keySpecs });
      for (const d of mc.days) if (d.day >= fromDay) days.push({ day: d.day, storage: d.storage + d.rotation, requests: Math.max(0, d.requestsGross - d.freeCredit) });
      if (m === monthOf(now)) {
        monthToDate = mc.total;
        freeRequestsUsed = mc.freeRequestsUsed;
      }
    }
    const forecast = forecastMonth({ now, usage, keys: life.keys, keySpecs: life.keySpecs });
    const current = monthCost({ month: monthOf(now), until: now, usage: usageByKey, keys: life.keys, keySpecs: life.keySpecs });
    // Request charges only (before the free tier): storage belongs to keys, not to an API or a caller.
    const requestsOnly = { month: monthOf(now), until: now, keys: [], keySpecs: life.keySpecs };
    const byApi = monthCost({ ...requestsOnly, usage: usageByApi }).byApi;
    const byCaller = monthCost({ ...requestsOnly, usage: usageByCaller }).byCaller;
    const table = tableFor(dayOf(now), PRICE_TABLES);
    // Unused: customer managed keys of this Region without a call in the range other than Keydeck's own.
    const called = await keysWithCalls(db, { ...f, hideKeydeck: true });
    const mine = life.rows.filter((r) => r.region === q.region && r.key.manager === 'CUSTOMER');
    unused = {
      keys: mine
        .filter((r) => r.key.state !== 'PendingDeletion' && !called.has(r.arn))
        .map((r) => {
          const s = storageCost(r.life, f.from * 1000, Math.min(f.to * 1000, now));
          const rotations = Math.min(r.life.rotations.length, table.chargedRotations);
          return { arn: r.arn, name: r.key.aliases[0] ?? r.key.id, state: r.key.state, createdAt: r.key.createdAt, costInRange: s.storage + s.rotation, monthly: table.keyMonth + rotations * table.rotationMonth };
        })
        .sort((a, b) => b.costInRange - a.costInRange || a.name.localeCompare(b.name)),
      pendingButCalled: mine
        .filter((r) => r.key.state === 'PendingDeletion' && called.has(r.arn))
        .map((r) => ({ arn: r.arn, name: r.key.aliases[0] ?? r.key.id, deletionAt: r.key.deletionAt ?? null })),
    };
    cost = {
      days,
      monthToDate,
      forecast,
      freeRequestsUsed,
      freeRequestsPerMonth: table.freeRequestsPerMonth,
      topKeys: current.byKey.slice(0, 10).map((k) => ({ name: k.name, cost: k.cost })),
      topApis: byApi.slice(0, 10).map((k) => ({ name: k.name, requests: k.requests, cost: k.cost })),
      topCallers: byCaller.slice(0, 10).map((k) => ({ name: k.name, requests: k.requests, cost: k.cost })),
      priceSource: table.source,
      pricesCheckedOn: table.checkedOn,
      regions,
    };
  } catch (error) {
    costError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return {
    query: q,
    account,
    from: f.from,
    to: f.to,
    windowDays,
    dataSource: source.kind,
    bucket,
    ...charts,
    symmetricQuota: symmetricQuota(q.region),
    quotaSource: QUOTA_SOURCE,
    keyNames,
    cost,
    unused,
    costError,
  };
}

export async function keyUsageReport(region: string, keyId: string, range: RangeName, account: string = consoleContext().account, now = Date.now()): Promise<KeyUsageReport | null> {
  const db = (await sharedStore()).db;
  const life = await keyLifecycles(db, account, [region]);
  const key = life.rows.find((r) => r.key.id === keyId || r.arn === keyId);
  if (!key) return null;
  const f: UsageFilter = { ...filterOf({ region, range }, account, Math.floor(now / 1000)), keyArn: key.arn };
  // Totals from the keys roll-up; by API and by caller from the key's events (a covering index).
  const [sum, byApi, byCaller] = await Promise.all([totals(db, f), topOperations(db, f, 20), topCallers(db, f, 10)]);
  const months: KeyUsageReport['months'] = [];
  let m = monthOf(now);
  for (let i = 0; i < 2; i++) m = monthOf(monthBounds(m)[0] - 1);
  const billed = await dailyBilled(db, account, [region], monthBounds(m)[0] / 1000, f.to, { keyArn: key.arn });
  for (; m <= monthOf(now); m = monthOf(monthBounds(m)[1])) {
    const [start, end] = monthBounds(m);
    let requests = 0;
    let requestCostTotal = 0;
    for (const b of billed) {
      if (monthOf(Date.parse(`${b.day}T00:00:00Z`)) !== m) continue;
      requests += b.calls;
      requestCostTotal += requestCost(b.calls, priceClassOf(b.requestClass, key.key.spec), tableFor(b.day, PRICE_TABLES));
    }
    const s = storageCost(key.life, start, Math.min(end, now));
    months.push({ month: m, requests, requestCost: requestCostTotal, storage: s.storage + s.rotation, total: requestCostTotal + s.storage + s.rotation });
  }
  return { keyArn: key.arn, range, from: f.from, to: f.to, totals: sum, byApi, byCaller, months };
}

/** The unused-keys view of a Region: customer managed keys without a call (but Keydeck's) in `days`, and pending deletions still called. */
export async function unusedKeysReport(region: string, days: UnusedDays, account: string = consoleContext().account, now = Date.now()): Promise<UnusedKeysReport> {
  const db = (await sharedStore()).db;
  const life = await keyLifecycles(db, account, [region]);
  const keys: KeyFacts[] = life.rows.map((r) => ({
    arn: r.arn,
    id: r.key.id,
    name: r.key.aliases[0] ?? r.key.id,
    manager: r.key.manager,
    state: r.key.state,
    createdAt: r.key.createdAt,
    deletionAt: r.key.deletionAt,
    scheduledAt: r.scheduledAt,
    rotations: r.life.rotations,
  }));
  return unusedKeys(db, { account, region, days, keys, table: tableFor(dayOf(now), PRICE_TABLES), nowS: Math.floor(now / 1000) });
}
