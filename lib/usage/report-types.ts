/** The usage page's data as it travels to the browser: plain JSON, times in epoch seconds unless named ms. */
import type { Forecast } from '@/lib/pricing/cost';
import type { PageCharts, RangeName, TopItem } from './aggregate';
import type { RangeChoice } from './range';

export interface UsageQuery {
  region: string;
  /** The account's name in the console (`?account=`); the console's default account when absent. */
  account?: string;
  range: RangeChoice;
  /** A custom range's first and last UTC dates (YYYY-MM-DD, both included); only with range 'custom'. */
  from?: string;
  to?: string;
  key?: string;
  op?: string;
  caller?: string;
  /** An error code, or '*' for any refused call. */
  error?: string;
  /** Leave out the calls Keydeck itself made (URL: own=hide). */
  hideKeydeck?: boolean;
}

/** A customer managed key with no call in the range, and what keeping it costs. */
export interface UnusedKey {
  arn: string;
  name: string;
  state: string;
  createdAt: number;
  /** Storage and rotation charged over the range (USD). */
  costInRange: number;
  /** What a month of it costs at today's prices (USD). */
  monthly: number;
}

/** The charts of the page (lib/usage/aggregate.ts's PageCharts) and what frames and prices them. */
export interface UsageReport extends PageCharts {
  query: UsageQuery;
  account: string;
  from: number;
  to: number;
  /** How many days back a custom range may start (the store's raw-event retention). */
  windowDays: number;
  /** Where the charts and cost inputs came from: the embedded store, or CloudTrail Lake (Settings). */
  dataSource: 'store' | 'lake';
  bucket: number;
  symmetricQuota: number;
  quotaSource: string;
  /** Key ARN → its first alias, for labels. */
  keyNames: Record<string, string>;
  cost: {
    /** Per UTC day in the range, the whole account (all Regions: the free tier spans them). */
    days: { day: string; storage: number; requests: number }[];
    monthToDate: number;
    forecast: Forecast;
    freeRequestsUsed: number;
    freeRequestsPerMonth: number;
    topKeys: { name: string; cost: number }[];
    /** This month's request charges per API and per caller (before the free tier, which spans them all). */
    topApis: { name: string; requests: number; cost: number }[];
    topCallers: { name: string; requests: number; cost: number }[];
    priceSource: string;
    pricesCheckedOn: string;
    regions: string[];
  } | null;
  /**
   * Customer managed keys with no call in the range (not pending deletion), and keys pending deletion
   * that were still called in it (deleting them would break a caller). Null when the keys could not be listed.
   */
  unused: { keys: UnusedKey[]; pendingButCalled: { arn: string; name: string; deletionAt: number | null }[] } | null;
  /** Why the cost is missing (a KMS error listing keys), when it is. */
  costError: string | null;
}

/** One key's usage for the key detail's Usage tab. */
export interface KeyUsageReport {
  keyArn: string;
  range: RangeName;
  from: number;
  to: number;
  totals: { calls: number; errors: number };
  byApi: TopItem[];
  byCaller: TopItem[];
  /** Per calendar month (the last three), before the account-wide free tier. */
  months: { month: string; requests: number; requestCost: number; storage: number; total: number }[];
}
