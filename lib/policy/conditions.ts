/**
 * Condition operators with AWS's semantics: missing keys, IfExists, ForAllValues/ForAnyValue,
 * OR across values, NOR for negated operators, and policy variables in values.
 * Sources: IAM User Guide reference_policies_elements_condition_operators.html and
 * reference_policies_multi-value-conditions.html.
 */
import { arnLike, wildcardMatch } from './match';
import type { BaseConditionOperator, ConditionClause, ContextValue, SetOperator } from './types';

/** Condition keys by lower-cased name (context key names are case-insensitive in IAM). */
export type RequestContext = ReadonlyMap<string, ContextValue>;

type Atom = string | number | boolean | Date;

interface OperatorSpec {
  /** For a negated operator, the positive test it negates. */
  test: (requestValue: Atom, policyValue: string) => boolean;
  negated: boolean;
  /** Whether ${…} policy variables are substituted in values (string and ARN operators only). */
  variables: boolean;
}

const str = (v: Atom): string => (v instanceof Date ? v.toISOString() : String(v));

function toNumber(v: Atom | string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean' || v instanceof Date) return NaN;
  return v.trim() === '' ? NaN : Number(v);
}

/** Dates are ISO 8601 text or epoch seconds (IAM: "date condition operators … ISO 8601 … or epoch (UNIX) time"). */
export function toEpochMillis(v: Atom | string): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'boolean') return NaN;
  const s = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  // Date.parse takes many shapes; require an ISO 8601 date start so that "tomorrow" is not a date.
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return NaN;
  return Date.parse(s);
}

function toBool(v: Atom | string): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

const numeric = (cmp: (a: number, b: number) => boolean) => (v: Atom, p: string) => {
  const a = toNumber(v);
  const b = toNumber(p);
  return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b);
};
const date = (cmp: (a: number, b: number) => boolean) => (v: Atom, p: string) => {
  const a = toEpochMillis(v);
  const b = toEpochMillis(p);
  return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b);
};

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

const stringEquals = (v: Atom, p: string) => str(v) === p;
const stringEqualsIgnoreCase = (v: Atom, p: string) => str(v).toLowerCase() === p.toLowerCase();
const stringLike = (v: Atom, p: string) => wildcardMatch(p, str(v));
const arnMatch = (v: Atom, p: string) => arnLike(p, str(v));
const ipMatch = (v: Atom, p: string) => ipInCidr(str(v), p);

const OPERATORS: Record<Exclude<BaseConditionOperator, 'Null'>, OperatorSpec> = {
  StringEquals: { test: stringEquals, negated: false, variables: true },
  StringNotEquals: { test: stringEquals, negated: true, variables: true },
  StringEqualsIgnoreCase: { test: stringEqualsIgnoreCase, negated: false, variables: true },
  StringNotEqualsIgnoreCase: { test: stringEqualsIgnoreCase, negated: true, variables: true },
  StringLike: { test: stringLike, negated: false, variables: true },
  StringNotLike: { test: stringLike, negated: true, variables: true },
  NumericEquals: { test: numeric(eq), negated: false, variables: false },
  NumericNotEquals: { test: numeric(eq), negated: true, variables: false },
  NumericLessThan: { test: numeric(lt), negated: false, variables: false },
  NumericLessThanEquals: { test: numeric(le), negated: false, variables: false },
  NumericGreaterThan: { test: numeric(gt), negated: false, variables: false },
  NumericGreaterThanEquals: { test: numeric(ge), negated: false, variables: false },
  DateEquals: { test: date(eq), negated: false, variables: false },
  DateNotEquals: { test: date(eq), negated: true, variables: false },
  DateLessThan: { test: date(lt), negated: false, variables: false },
  DateLessThanEquals: { test: date(le), negated: false, variables: false },
  DateGreaterThan: { test: date(gt), negated: false, variables: false },
  DateGreaterThanEquals: { test: date(ge), negated: false, variables: false },
  Bool: { test: (v, p) => toBool(v) !== undefined && toBool(v) === toBool(p), negated: false, variables: true },
  BinaryEquals: { test: stringEquals, negated: false, variables: false },
  IpAddress: { test: ipMatch, negated: false, variables: false },
  NotIpAddress: { test: ipMatch, negated: true, variables: false },
  ArnEquals: { test: arnMatch, negated: false, variables: true },
  ArnNotEquals: { test: arnMatch, negated: true, variables: true },
  ArnLike: { test: arnMatch, negated: false, variables: true },
  ArnNotLike: { test: arnMatch, negated: true, variables: true },
};

export const BASE_OPERATORS: readonly BaseConditionOperator[] = [...(Object.keys(OPERATORS) as BaseConditionOperator[]), 'Null'];

/** Splits `ForAnyValue:StringEqualsIfExists` into its parts; undefined when the name is not an operator. */
export function parseOperator(name: string): { base: BaseConditionOperator; set?: SetOperator; ifExists: boolean } | undefined {
  let rest = name;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix === 'ForAllValues' || prefix === 'ForAnyValue') set = prefix;
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_OPERATORS.find((op) => op === rest);
  if (!base) return undefined;
  // IAM: "You can add IfExists to the end of any condition operator name except the Null condition."
  if (base === 'Null' && ifExists) return undefined;
  return { base, set, ifExists };
}

/** A value list as the operators see it: empty means the key is absent (an empty multi-valued key counts as missing). */
function valuesOf(v: ContextValue | undefined): Atom[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  return [v];
}

export interface VariableScope {
  /** Whether ${…} is substituted: only for policies with Version 2012-10-17. */
  enabled: boolean;
  context: RequestContext;
}

/**
 * Substitutes ${aws:username}-style variables. Returns undefined when a variable has no value and no default,
 * which makes that policy value match nothing (IAM: a missing variable key makes the comparison false).
 */
export function substituteVariables(text: string, scope: VariableScope): string | undefined {
  if (!scope.enabled || !text.includes('${')) return text;
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return inner;
    const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    if (!m) {
      missing = true;
      return '';
    }
    const [, key, fallback] = m;
    const value = scope.context.get(key.toLowerCase());
    // Multi-valued keys cannot be variables (IAM: "you can't use multivalued context keys as policy variables").
    if (value === undefined || Array.isArray(value)) {
      if (fallback !== undefined) return fallback;
      missing = true;
      return '';
    }
    return str(value);
  });
  return missing ? undefined : out;
}

export function evaluateClause(clause: ConditionClause, context: RequestContext, variablesEnabled: boolean): boolean {
  const requestValues = valuesOf(context.get(clause.key.toLowerCase()));
  const present = requestValues.length > 0;

  if (clause.base === 'Null') {
    // "Null": true → the key must be absent; false → it must be present.
    return clause.values.some((p) => toBool(p) === !present);
  }

  if (!present) {
    if (clause.ifExists) return true;
    if (clause.set === 'ForAllValues') return true;
    if (clause.set === 'ForAnyValue') return false;
    return OPERATORS[clause.base].negated;
  }

  const spec = OPERATORS[clause.base];
  const scope: VariableScope = { enabled: variablesEnabled && spec.variables, context };
  const policyValues = clause.values.map((p) => substituteVariables(p, scope)).filter((p): p is string => p !== undefined);
  const positive = (v: Atom) => policyValues.some((p) => spec.test(v, p));
  const single = (v: Atom) => (spec.negated ? !positive(v) : positive(v));

  if (clause.set === 'ForAllValues') return requestValues.every(single);
  if (clause.set === 'ForAnyValue') return requestValues.some(single);
  // Without a set operator a negated operator is the negation of the positive one over all request values.
  return spec.negated ? !requestValues.some(positive) : requestValues.some(positive);
}

/** The first clause that is not met, or undefined when all are (clauses are ANDed). */
export function firstFailingClause(clauses: ConditionClause[], context: RequestContext, variablesEnabled: boolean): ConditionClause | undefined {
  for (const c of clauses) if (!evaluateClause(c, context, variablesEnabled)) return c;
  return undefined;
}

// ---- IP addresses ----------------------------------------------------------------------------

interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = BigInt(0);
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << BigInt(8)) | BigInt(n);
  }
  return v;
}

function parseIpv6(s: string): bigint | undefined {
  let text = s;
  // An embedded IPv4 tail (::ffff:192.0.2.1) is rewritten as the two hex groups it stands for.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    const hi = (v4 >> BigInt(16)).toString(16);
    const lo = (v4 & BigInt(0xffff)).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const all = [...head, ...Array<string>(8 - explicit).fill('0'), ...rest];
  let value = BigInt(0);
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << BigInt(16)) | BigInt(parseInt(g, 16));
  }
  return value;
}

function parseIp(s: string): ParsedIp | undefined {
  const t = s.trim();
  if (t.includes(':')) {
    const v = parseIpv6(t);
    return v === undefined ? undefined : { version: 6, value: v };
  }
  const v = parseIpv4(t);
  return v === undefined ? undefined : { version: 4, value: v };
}

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a bare address (a /32 or /128). */
export function parseCidr(cidr: string): { version: 4 | 6; network: bigint; prefix: number } | undefined {
  const [addr, prefixText, extra] = cidr.trim().split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const mask = prefix === 0 ? BigInt(0) : ((BigInt(1) << BigInt(prefix)) - BigInt(1)) << BigInt(bits - prefix);
  return { version: ip.version, network: ip.value & mask, prefix };
}

export function ipInCidr(address: string, cidr: string): boolean {
  const ip = parseIp(address);
  const net = parseCidr(cidr);
  if (!ip || !net || ip.version !== net.version) return false;
  const bits = ip.version === 4 ? 32 : 128;
  const mask = net.prefix === 0 ? BigInt(0) : ((BigInt(1) << BigInt(net.prefix)) - BigInt(1)) << BigInt(bits - net.prefix);
  return (ip.value & mask) === net.network;
}
