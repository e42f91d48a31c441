/**
 * Which account and regions the console shows. Demo mode offers three regions of the emulator's one
 * account; aws mode offers KEYDECK_REGIONS (comma-separated) or the configured region.
 */
import 'server-only';
import { getConfig, type Mode } from '@/lib/config';
import { DEFAULT_ACCOUNT } from '@/lib/emulator';
import type { Scope } from './inventory-types';

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1', 'eu-west-2'] as const;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface ConsoleContext {
  mode: Mode;
  /** The account id, or `default` in aws mode until account switching (STS) lands. */
  account: string;
  regions: string[];
  defaultRegion: string;
}

let cached: ConsoleContext | undefined;

export function consoleContext(): ConsoleContext {
  if (cached) return cached;
  const config = getConfig();
  let regions: string[];
  if (config.mode === 'demo') {
    regions = [...DEMO_REGIONS];
  } else {
    // TODO(real-AWS mode): move KEYDECK_REGIONS into lib/config.ts's validated schema with the accounts.
    const listed = (process.env.KEYDECK_REGIONS ?? '').split(',').map((r) => r.trim()).filter((r) => REGION.test(r));
    regions = listed.length > 0 ? listed : [config.region];
  }
  if (!regions.includes(config.region)) regions.unshift(config.region);
  cached = { mode: config.mode, account: config.mode === 'demo' ? DEFAULT_ACCOUNT : 'default', regions, defaultRegion: config.region };
  return cached;
}

/** The scope a request asks for with `?region=`; an unknown or missing region falls back to the default. */
export function resolveScope(regionParam: string | string[] | null | undefined): Scope {
  const context = consoleContext();
  const wanted = Array.isArray(regionParam) ? regionParam[0] : regionParam;
  const region = wanted && context.regions.includes(wanted) ? wanted : context.defaultRegion;
  return { account: context.account, region };
}
