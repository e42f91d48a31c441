/** The usage page's data as it travels to the browser: plain JSON, times in epoch seconds unless named ms. */
import type { Forecast } from '@/lib/pricing/cost';
import type { PeakPoint, RangeName, SeriesPoint, TopItem } from './aggregate';

export interface UsageQuery {
  region: string;
  range: RangeName;
  key?: string;
  op?: string;
  caller?: string;
  /** An error code, or '*' for any refused call. */
  error?: string;
}

export interface UsageReport {
  query: UsageQuery;
  account: string;
  from: number;
  to: number;
  bucket: number;
  totals: { calls: number; errors: number };
  callsOverTime: SeriesPoint[];
  errorsOverTime: SeriesPoint[];
  topKeys: TopItem[];
  topCallers: TopItem[];
  topOperations: TopItem[];
  /** Calls by user agent family (which tool or SDK). */
  topAgents: TopItem[];
  peaks: PeakPoint[];
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
    priceSource: string;
    pricesCheckedOn: string;
    regions: string[];
  } | null;
  /** Why the cost is missing (a KMS error listing keys), when it is. */
  costError: string | null;
}
