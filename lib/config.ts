/** Keydeck's configuration: the environment, parsed and validated once per process. */
import path from 'node:path';
import { z } from 'zod';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

// An empty variable counts as unset, so `KEYDECK_MODE= npm start` falls back to the default.
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** One AWS account the console manages: by the base identity, or through a role assumed with STS. */
export interface AccountConfig {
  /** What the console calls it (and `?account=` holds). */
  name: string;
  /** Absent only for the implicit account of the base credentials when KEYDECK_ACCOUNTS is unset. */
  accountId?: string;
  /** The role to assume (session name `keydeck`); absent: the base credentials are used as they are. */
  roleArn?: string;
}

/**
 * KEYDECK_ACCOUNTS, compact form: `name=accountId[:roleArn]`, comma-separated, e.g.
 * `prod=111122223333,partner=444455556666:arn:aws:iam::444455556666:role/keydeck-console`.
 */
export function parseAccounts(text: string, ctx: z.RefinementCtx): AccountConfig[] {
  const accounts: AccountConfig[] = [];
  const entries = text.split(',').map((e) => e.trim());
  entries.forEach((entry, index) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message: `entry ${index + 1} ('${entry}') ${message}` });
    const eq = entry.indexOf('=');
    if (eq < 0) return problem('must look like name=123456789012 or name=123456789012:arn:aws:iam::123456789012:role/RoleName');
    const name = entry.slice(0, eq).trim();
    const rest = entry.slice(eq + 1).trim();
    const accountId = rest.slice(0, 12);
    const roleArn = rest.length > 12 && rest[12] === ':' ? rest.slice(13) : undefined;
    if (!ACCOUNT_NAME.test(name)) return problem('needs a name of letters, digits, dot, dash or underscore before the =');
    if (!ACCOUNT_ID.test(accountId) || (rest.length > 12 && roleArn === undefined)) return problem('needs a 12-digit account id after the =');
    if (roleArn !== undefined) {
      const m = ROLE_ARN.exec(roleArn);
      if (!m) return problem(`has '${roleArn}' where an IAM role ARN (arn:aws:iam::123456789012:role/RoleName) belongs`);
      if (m[2] !== accountId) return problem(`names role ${roleArn} of account ${m[2]}, not of account ${accountId}`);
    }
    if (accounts.some((a) => a.name === name)) return problem(`repeats the name '${name}'`);
    accounts.push(roleArn ? { name, accountId, roleArn } : { name, accountId });
  });
  return accounts;
}

const region = (variable: string) =>
  z.string().regex(REGION, { error: (issue) => `must be an AWS Region such as 'us-east-1', not '${String(issue.input)}'` }).describe(variable);

const schema = z.object({
  KEYDECK_MODE: z.preprocess(
    unsetIfEmpty,
    z.enum(['demo', 'aws'], { error: (issue) => `must be 'demo' or 'aws', not '${String(issue.input)}'` }).default('demo'),
  ),
  KEYDECK_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./.keydeck')),
  AWS_REGION: z.preprocess(unsetIfEmpty, region('AWS_REGION').optional()),
  /** Comma-separated regions the console offers (aws mode). */
  KEYDECK_REGIONS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((text, ctx) => {
        const regions = [...new Set(text.split(',').map((r) => r.trim()).filter((r) => r !== ''))];
        for (const r of regions) if (!REGION.test(r)) ctx.addIssue({ code: 'custom', message: `must list AWS Regions such as 'us-east-1,eu-west-1'; '${r}' is not one` });
        return regions;
      })
      .optional(),
  ),
  KEYDECK_ACCOUNTS: z.preprocess(unsetIfEmpty, z.string().transform(parseAccounts).optional()),
  /** A session ends after this many minutes without a request (idle timeout). */
  KEYDECK_SESSION_IDLE_MINUTES: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(24 * 60).default(30)),
  /** A session ends this many hours after sign-in, however active (absolute timeout). */
  KEYDECK_SESSION_MAX_HOURS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(24 * 30).default(12)),
  KEYDECK_ALLOWED_ORIGINS: z.preprocess(unsetIfEmpty, z.string().transform(parseAllowedOrigins).optional()),
  KEYDECK_TRUST_PROXY: z.preprocess(unsetIfEmpty, z.enum(['true', 'false', '1', '0'], { error: "must be 'true' or 'false'" }).optional()),
});

/**
 * KEYDECK_ALLOWED_ORIGINS: comma-separated origins (`https://kms.example.com`) that may post to the console
 * besides its own host, for a console behind a reverse proxy that serves it under another host name.
 */
export function parseAllowedOrigins(text: string, ctx: z.RefinementCtx): string[] {
  const origins: string[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {}
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== entry.replace(/\/$/, '')) {
      ctx.addIssue({ code: 'custom', message: `must list origins such as 'https://kms.example.com' (scheme, host, optional port; no path); '${entry}' is not one` });
      continue;
    }
    origins.push(url.origin);
  }
  return origins;
}

export type Mode = 'demo' | 'aws';

export interface Config {
  mode: Mode;
  /** Absolute path of the directory holding the emulator's state and Keydeck's own data. */
  dataDir: string;
  /** The region the console opens in: AWS_REGION, else the first of KEYDECK_REGIONS, else us-east-1. */
  region: string;
  /** The regions the console offers in aws mode (KEYDECK_REGIONS, with `region` first if it was not listed). */
  regions: string[];
  /** The accounts of aws mode; the first is the default. Without KEYDECK_ACCOUNTS: one account, `default`, of the base credentials. */
  accounts: AccountConfig[];
  /** Session timeouts, in seconds. */
  session: { idleSeconds: number; absoluteSeconds: number };
  /** KEYDECK_ALLOWED_ORIGINS: other origins (a reverse proxy's public name) whose browsers may post to the console. */
  allowedOrigins?: string[];
  /** KEYDECK_TRUST_PROXY: believe the X-Forwarded-Proto of the reverse proxy in front (HSTS is sent only over https). */
  trustProxy?: boolean;
}

/** Parses a configuration from `env`; throws an Error naming every invalid variable. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid Keydeck configuration: ${problems.join('; ')}`);
  }
  const { KEYDECK_MODE, KEYDECK_DATA_DIR, AWS_REGION, KEYDECK_REGIONS, KEYDECK_ACCOUNTS, KEYDECK_SESSION_IDLE_MINUTES, KEYDECK_SESSION_MAX_HOURS, KEYDECK_ALLOWED_ORIGINS, KEYDECK_TRUST_PROXY } =
    result.data;
  const listed = KEYDECK_REGIONS ?? [];
  const region = AWS_REGION ?? listed[0] ?? 'us-east-1';
  const regions = listed.includes(region) ? listed : [region, ...listed];
  const accounts = KEYDECK_ACCOUNTS ?? [{ name: 'default' }];
  const session = { idleSeconds: KEYDECK_SESSION_IDLE_MINUTES * 60, absoluteSeconds: KEYDECK_SESSION_MAX_HOURS * 3600 };
  const allowedOrigins = KEYDECK_ALLOWED_ORIGINS ?? [];
  const trustProxy = KEYDECK_TRUST_PROXY === 'true' || KEYDECK_TRUST_PROXY === '1';
  return { mode: KEYDECK_MODE, dataDir: path.resolve(cwd, KEYDECK_DATA_DIR), region, regions, accounts, session, allowedOrigins, trustProxy };
}

let cached: Config | undefined;

/** The process's configuration, read from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
