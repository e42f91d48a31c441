/**
 * Which accounts and regions the console shows. Demo mode offers three regions of the emulator's one
 * account; aws mode offers KEYDECK_ACCOUNTS and KEYDECK_REGIONS (validated in lib/config.ts).
 */
import 'server-only';
import { z } from 'zod';
import { getConfig, type Mode } from '@/lib/config';
import { DEFAULT_ACCOUNT } from '@/lib/emulator';
import type { Scope } from './inventory-types';

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1', 'eu-west-2'] as const;

/** An account as the console's switcher shows it: no credentials, no role session. */
export interface ConsoleAccount {
  /** What `?account=` holds and `Scope.account` carries. */
  name: string;
  accountId?: string;
  /** The role assumed to reach it, if any (shown on Settings). */
  roleArn?: string;
}

export interface ConsoleContext {
  mode: Mode;
  /** The default account's name: the demo account's id in demo mode, the first of KEYDECK_ACCOUNTS (or `default`) in aws mode. */
  account: string;
  accounts: ConsoleAccount[];
  regions: string[];
  defaultRegion: string;
}

let cached: ConsoleContext | undefined;

export function consoleContext(): ConsoleContext {
  if (cached) return cached;
  const config = getConfig();
  let regions: string[];
  let accounts: ConsoleAccount[];
  if (config.mode === 'demo') {
    regions = [...DEMO_REGIONS];
    if (!regions.includes(config.region)) regions.unshift(config.region);
    accounts = [{ name: DEFAULT_ACCOUNT, accountId: DEFAULT_ACCOUNT }];
  } else {
    regions = config.regions;
    accounts = config.accounts.map(({ name, accountId, roleArn }) => ({ name, accountId, roleArn }));
  }
  cached = { mode: config.mode, account: accounts[0].name, accounts, regions, defaultRegion: config.region };
  return cached;
}

const first = (param: string | string[] | null | undefined) => (Array.isArray(param) ? param[0] : param);

/**
 * The scope a read asks for with `?region=` (and `?account=`); an unknown or missing region or
 * account falls back to the default one (the header then shows which one is shown). Writes never
 * fall back: they name their scope and go through `scopeFields`.
 */
export function resolveScope(regionParam: string | string[] | null | undefined, accountParam?: string | string[] | null): Scope {
  const context = consoleContext();
  const region = first(regionParam);
  const account = first(accountParam);
  return {
    account: account && context.accounts.some((a) => a.name === account) ? account : context.account,
    region: region && context.regions.includes(region) ? region : context.defaultRegion,
  };
}

/** The scope a route handler's request asks for with `?region=` and `?account=`. */
export function scopeOfRequest(request: Request): Scope {
  const search = new URL(request.url).searchParams;
  return resolveScope(search.get('region'), search.get('account'));
}

/**
 * What is wrong with a write's scope, or null: the region and the account must be ones the console is
 * configured with. A write never falls back to the default account or region, since that would change
 * a key somewhere other than where the user looked.
 */
export function scopeProblem(scope: { region: unknown; account: unknown }, context: ConsoleContext = consoleContext()): { field: 'region' | 'account'; message: string } | null {
  const { region, account } = scope;
  if (typeof region !== 'string' || !context.regions.includes(region)) {
    return { field: 'region', message: `'${String(region)}' is not one of the console's regions (${context.regions.join(', ')}).` };
  }
  if (typeof account !== 'string' || !context.accounts.some((a) => a.name === account)) {
    return { field: 'account', message: `'${String(account)}' is not one of the console's accounts (${context.accounts.map((a) => a.name).join(', ')}).` };
  }
  return null;
}

/**
 * The `region` and `account` fields of every server action's input: an unknown one fails the action's
 * schema, which defineAction reports as a ValidationException naming the field.
 */
export const scopeFields = {
  region: z.string().superRefine((region, ctx) => {
    const context = consoleContext();
    if (!context.regions.includes(region)) ctx.addIssue({ code: 'custom', message: scopeProblem({ region, account: context.account }, context)!.message });
  }),
  account: z.string().superRefine((account, ctx) => {
    const context = consoleContext();
    if (!context.accounts.some((a) => a.name === account)) ctx.addIssue({ code: 'custom', message: scopeProblem({ region: context.defaultRegion, account }, context)!.message });
  }),
};

