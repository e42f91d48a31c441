/**
 * Matching of the policy elements that name things: actions and resources (with `*`/`?` wildcards)
 * and principals (no partial wildcards, but accounts, roles and role sessions relate to each other).
 */
import type { PrincipalSpec } from './types';

/** Compiled patterns, case-sensitive and not; policies are few and small, the cap only guards a long-lived emulator. */
const globCaches = { sensitive: new Map<string, RegExp>(), insensitive: new Map<string, RegExp>() };

/** `*` matches any run of characters (including none), `?` exactly one; everything else is literal. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return pattern === value;
    return pattern === value || pattern.toLowerCase() === value.toLowerCase();
  }
  const cache = ignoreCase ? globCaches.insensitive : globCaches.sensitive;
  let re = cache.get(pattern);
  if (!re) {
    const source = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
}

/** Action names are case-insensitive (IAM: "kms:encrypt" and "KMS:Encrypt" are the same action). */
export function actionMatches(patterns: string[], action: string): boolean {
  return patterns.some((p) => wildcardMatch(p, action, true));
}

/** Resource ARNs are matched case-sensitively. */
export function resourceMatches(patterns: string[], resource: string): boolean {
  return patterns.some((p) => wildcardMatch(p, resource, false));
}

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): Arn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...rest] = parts;
  return { partition, service, region, account, resource: rest.join(':') };
}

/** The account that owns a key, from its ARN (arn:aws:kms:region:account:key/id). */
export function accountOfKeyArn(keyArn: string): string | undefined {
  return parseArn(keyArn)?.account || undefined;
}

/** ArnEquals/ArnLike: each of the six colon-separated parts is matched on its own, with wildcards. */
export function arnLike(pattern: string, value: string): boolean {
  const p = pattern.split(':');
  const v = value.split(':');
  if (p.length < 6 || v.length < 6) return false;
  const pParts = [...p.slice(0, 5), p.slice(5).join(':')];
  const vParts = [...v.slice(0, 5), v.slice(5).join(':')];
  return pParts.every((part, i) => wildcardMatch(part, vParts[i]));
}

/** Who is calling, as the principal matcher needs it. */
export type Identity =
  | { kind: 'root'; account: string; partition: string; arn: string }
  | { kind: 'user'; account: string; partition: string; arn: string; name: string }
  | { kind: 'role'; account: string; partition: string; arn: string; roleName: string }
  | { kind: 'assumed-role'; account: string; partition: string; arn: string; roleName: string; sessionName: string }
  | { kind: 'federated-user'; account: string; partition: string; arn: string }
  | { kind: 'service'; service: string }
  | { kind: 'other'; account: string; partition: string; arn: string };

export function identify(arn: string, account: string, service?: string): Identity {
  if (service) return { kind: 'service', service };
  const parsed = parseArn(arn);
  if (!parsed) return { kind: 'other', account, partition: 'aws', arn };
  const { partition, service: svc, resource } = parsed;
  const acct = parsed.account || account;
  if (svc === 'iam' && resource === 'root') return { kind: 'root', account: acct, partition, arn };
  if (svc === 'iam' && resource.startsWith('user/')) return { kind: 'user', account: acct, partition, arn, name: lastSegment(resource) };
  if (svc === 'iam' && resource.startsWith('role/')) return { kind: 'role', account: acct, partition, arn, roleName: lastSegment(resource) };
  if (svc === 'sts' && resource.startsWith('assumed-role/')) {
    const [, roleName = '', ...session] = resource.split('/');
    return { kind: 'assumed-role', account: acct, partition, arn, roleName, sessionName: session.join('/') };
  }
  if (svc === 'sts' && resource.startsWith('federated-user/')) return { kind: 'federated-user', account: acct, partition, arn };
  return { kind: 'other', account: acct, partition, arn };
}

function lastSegment(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 1];
}

/**
 * How one `AWS` principal entry relates to the caller:
 * - `direct`: it names the caller (or `*`), so a key policy Allow needs nothing more;
 * - `account`: it names the caller's account, which only delegates to that account's IAM policies;
 * - `undefined`: unrelated.
 */
export type PrincipalMatch = 'direct' | 'account' | undefined;

const ACCOUNT_ID = /^\d{12}$/;

export function matchAwsPrincipal(entry: string, who: Identity): PrincipalMatch {
  if (entry === '*') return 'direct';
  if (who.kind === 'service') return undefined;
  if (ACCOUNT_ID.test(entry)) return entry === who.account ? 'account' : undefined;
  const p = principalArn(entry);
  if (!p) return undefined;
  if (p.service === 'iam' && p.resource === 'root') return p.account === who.account && p.partition === who.partition ? 'account' : undefined;
  // A role ARN may carry a path that the session ARN lacks, so roles compare by account and name.
  if (p.service === 'iam' && p.resource.startsWith('role/')) {
    const sameRole = (who.kind === 'assumed-role' || who.kind === 'role') && who.account === p.account && who.partition === p.partition && who.roleName === lastSegment(p.resource);
    return sameRole ? 'direct' : undefined;
  }
  // User names, session names and everything else are compared exactly (user names are case-sensitive in Principal).
  return entry === who.arn ? 'direct' : undefined;
}

/** Principal entries of stored policies, parsed once: every request on a key matches the same few. */
const principalArns = new Map<string, Readonly<Arn> | undefined>();
function principalArn(entry: string): Readonly<Arn> | undefined {
  let arn = principalArns.get(entry);
  if (arn === undefined && !principalArns.has(entry)) {
    arn = parseArn(entry);
    if (principalArns.size >= 10_000) principalArns.clear();
    principalArns.set(entry, arn);
  }
  return arn;
}

/** The best relation between a Principal element and the caller (`direct` wins over `account`). */
export function matchPrincipal(spec: PrincipalSpec, who: Identity): PrincipalMatch {
  if (spec.wildcard) return 'direct';
  if (who.kind === 'service') {
    const name = who.service.toLowerCase();
    return spec.service.some((s) => s.toLowerCase() === name) ? 'direct' : undefined;
  }
  let best: PrincipalMatch;
  for (const entries of [spec.aws, spec.federated]) {
    for (const entry of entries) {
      const m = matchAwsPrincipal(entry, who);
      if (m === 'direct') return 'direct';
      if (m === 'account') best = 'account';
    }
  }
  return best;
}

/**
 * NotPrincipal exempts a caller only when it names every entity AWS checks for that caller: the account,
 * then the role (or user), then the session. Naming only the session leaves the account denied.
 * (IAM User Guide, reference_policies_elements_notprincipal.html)
 */
export function notPrincipalExempts(spec: PrincipalSpec, who: Identity): boolean {
  if (spec.wildcard) return true;
  if (who.kind === 'service') return matchPrincipal(spec, who) === 'direct';
  const accountListed = spec.aws.some((e) => matchAwsPrincipal(e, { kind: 'root', account: who.account, partition: who.partition, arn: '' }) === 'account');
  if (!accountListed) return false;
  const listed = (w: Identity) => [...spec.aws, ...spec.federated].some((e) => matchAwsPrincipal(e, w) === 'direct');
  switch (who.kind) {
    case 'root':
      return true;
    case 'assumed-role': {
      const role: Identity = { kind: 'role', account: who.account, partition: who.partition, arn: '', roleName: who.roleName };
      return listed(role) && listed(who);
    }
    default:
      return listed(who);
  }
}
