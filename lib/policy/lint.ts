/**
 * Lint for key policies: findings a valid policy can still have (public or cross-account access, lockout
 * risk, over-broad grants, names KMS does not know, conditions that never match), each placed on the
 * statement and source position it concerns, with why it matters and how to fix it. Pure.
 */
import { parseJson, type JsonEntry, type JsonNode, type Position } from './json';
import { isKnownConditionKey, expandAction, MULTI_VALUED_KEYS } from './lint-vocabulary';
import { actionMatches, parseArn, wildcardMatch } from './match';
import { parsePolicy } from './parse';
import type { ConditionClause, ParseResult, PolicyDocument, SourceLocation, Statement } from './types';

export type LintSeverity = 'error' | 'warning' | 'info';

export type LintRule =
  | 'public-access'
  | 'cross-account'
  | 'lockout-risk'
  | 'kms-star-non-admin'
  | 'decrypt-unconstrained'
  | 'unknown-action'
  | 'unknown-condition-key'
  | 'negated-allow'
  | 'duplicate-sid'
  | 'resource-not-star'
  | 'never-matches';

export const LINT_RULE_TITLES: Record<LintRule, string> = {
  'public-access': 'Public access',
  'cross-account': 'Cross-account access',
  'lockout-risk': 'Lockout risk',
  'kms-star-non-admin': 'kms:* to a non-administrator',
  'decrypt-unconstrained': 'Unconstrained kms:Decrypt',
  'unknown-action': 'Unknown action',
  'unknown-condition-key': 'Unknown condition key',
  'negated-allow': 'NotPrincipal / NotAction with Allow',
  'duplicate-sid': 'Duplicate Sid',
  'resource-not-star': 'Resource other than "*"',
  'never-matches': 'Condition never matches',
};

export interface LintFinding {
  rule: LintRule;
  severity: LintSeverity;
  /** One line: what was found. */
  message: string;
  /** The statement concerned; absent for findings about the whole policy. */
  statement?: { index: number; sid?: string };
  line: number;
  column: number;
  why: string;
  fix: string;
}

export interface LintOptions {
  /** The account that owns the key: its root is the administrator of last resort. */
  keyAccount: string;
}

/** Parses and lints a policy text; lint findings need a policy that parses, except duplicate Sids. */
export function lintPolicyText(text: string, options: LintOptions): { result: ParseResult; findings: LintFinding[] } {
  const result = parsePolicy(text);
  return { result, findings: lintPolicy(result, text, options) };
}

export function lintPolicy(result: ParseResult, text: string, options: LintOptions): LintFinding[] {
  let root: JsonNode | undefined;
  try {
    root = parseJson(text);
  } catch {
    return [];
  }
  const tree = new Tree(root);
  const findings: LintFinding[] = [...duplicateSids(tree)];
  if (result.ok) findings.push(...lintDocument(result.policy, options, tree), ...typeWarnings(result));
  return sortFindings(findings);
}

const SEVERITY_ORDER: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };

function sortFindings(findings: LintFinding[]): LintFinding[] {
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.line - b.line || a.column - b.column);
}

/** Finds source positions of statement parts in the JSON tree (the normalized PolicyDocument keeps only statement positions). */
class Tree {
  readonly statements: Extract<JsonNode, { kind: 'object' }>[] = [];

  constructor(readonly root: JsonNode) {
    if (root.kind !== 'object') return;
    const st = [...root.entries].reverse().find((e) => e.key === 'Statement')?.value;
    if (st?.kind === 'object') this.statements.push(st);
    else if (st?.kind === 'array') for (const item of st.items) if (item.kind === 'object') this.statements.push(item);
  }

  entry(index: number, key: string): JsonEntry | undefined {
    return [...(this.statements[index]?.entries ?? [])].reverse().find((e) => e.key === key);
  }

  /** The position of `value` inside the statement's `key` element (a string or an array of strings), else of the element. */
  valuePos(index: number, key: string, value?: string): Position | undefined {
    const entry = this.entry(index, key);
    if (!entry) return undefined;
    if (value !== undefined) {
      const nodes = entry.value.kind === 'array' ? entry.value.items : [entry.value];
      const hit = nodes.find((n) => n.kind === 'string' && n.value === value);
      if (hit) return hit.pos;
    }
    return entry.keyPos;
  }

  conditionKeyPos(index: number, operator: string, key: string): Position | undefined {
    const condition = this.entry(index, 'Condition')?.value;
    if (condition?.kind !== 'object') return undefined;
    const op = condition.entries.find((e) => e.key === operator)?.value;
    if (op?.kind !== 'object') return undefined;
    return op.entries.find((e) => e.key === key)?.keyPos;
  }
}

function at(statement: Statement, pos?: SourceLocation): Pick<LintFinding, 'statement' | 'line' | 'column'> {
  const p = pos ?? statement.location;
  return { statement: { index: statement.index, ...(statement.sid !== undefined ? { sid: statement.sid } : {}) }, line: p.line, column: p.column };
}

export function describeStatementRef(statement: { index: number; sid?: string }): string {
  return statement.sid ? `Statement ${statement.index + 1} ("${statement.sid}")` : `Statement ${statement.index + 1}`;
}

const ACCOUNT_ID = /^\d{12}$/;

/** The account an `AWS` principal entry belongs to. */
export function principalAccount(entry: string): string | undefined {
  if (ACCOUNT_ID.test(entry)) return entry;
  return parseArn(entry)?.account || undefined;
}

function isAccountRoot(entry: string, account: string): boolean {
  return entry === account || entry === `arn:aws:iam::${account}:root`;
}

const LIMITING_KEYS = new Set(
  ['aws:PrincipalAccount', 'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'kms:CallerAccount', 'aws:SourceVpce', 'aws:SourceVpc', 'aws:PrincipalArn', 'aws:SourceAccount', 'aws:SourceArn', 'aws:userid'].map(
    (k) => k.toLowerCase(),
  ),
);
const POSITIVE_MATCH = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

function limitsWho(c: ConditionClause): boolean {
  return LIMITING_KEYS.has(c.key.toLowerCase()) && POSITIVE_MATCH.has(c.base) && !c.ifExists && c.set !== 'ForAllValues';
}

const coversAction = (s: Statement, action: string) => (s.action ? actionMatches(s.action, action) : s.notAction ? !actionMatches(s.notAction, action) : false);

export function lintDocument(policy: PolicyDocument, options: LintOptions, tree?: Tree): LintFinding[] {
  const findings: LintFinding[] = [];
  const { keyAccount } = options;
  const root = `arn:aws:iam::${keyAccount}:root`;

  for (const s of policy.statements) {
    const allow = s.effect === 'Allow';
    const aws = s.principal?.aws ?? [];

    // Public access.
    if (allow && s.principal?.wildcard && !s.conditions.some(limitsWho)) {
      findings.push({
        rule: 'public-access',
        severity: 'error',
        message: `${describeStatementRef(s)} allows everyone ("Principal": "*") with no condition limiting who.`,
        ...at(s, tree?.valuePos(s.index, 'Principal')),
        why: 'Any AWS account, including ones you do not know, can call the allowed operations on this key (their own IAM policies permitting).',
        fix: 'Name the principals, or add a condition such as "StringEquals": {"kms:CallerAccount": "' + keyAccount + '"} or aws:PrincipalOrgID.',
      });
    }

    // Cross-account access.
    if (allow) {
      const others = [...new Set(aws.map(principalAccount).filter((a): a is string => !!a && a !== keyAccount))];
      if (others.length > 0) {
        findings.push({
          rule: 'cross-account',
          severity: 'warning',
          message: `${describeStatementRef(s)} gives account${others.length > 1 ? 's' : ''} ${others.join(', ')} access to this key.`,
          ...at(s, tree?.valuePos(s.index, 'Principal')),
          why: 'Principals of another account can use the key as their own IAM policies allow; you cannot see or limit those policies from here.',
          fix: 'Keep it only if the other account is meant to use the key; name its specific roles rather than its root, and limit the actions.',
        });
      }
    }

    // kms:* to anyone but the account root.
    if (allow && s.action?.some((a) => a === '*' || a.toLowerCase() === 'kms:*')) {
      const nonAdmins = s.principal?.wildcard ? ['*'] : [...aws.filter((a) => !isAccountRoot(a, keyAccount)), ...(s.principal?.service ?? [])];
      if (nonAdmins.length > 0 || s.notPrincipal) {
        findings.push({
          rule: 'kms-star-non-admin',
          severity: 'warning',
          message: `${describeStatementRef(s)} grants kms:* to ${s.notPrincipal ? 'everyone not listed in NotPrincipal' : nonAdmins.join(', ')}.`,
          ...at(s, tree?.valuePos(s.index, 'Action', s.action.find((a) => a === '*' || a.toLowerCase() === 'kms:*'))),
          why: 'kms:* includes PutKeyPolicy, ScheduleKeyDeletion and CreateGrant: whoever has it can change who uses the key, or delete it.',
          fix: 'Give key users only the operations they need (e.g. kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*) and administrators the administrative ones.',
        });
      }
    }

    // kms:Decrypt without an encryption-context or via-service condition.
    if (allow && coversAction(s, 'kms:Decrypt')) {
      const onlyRoot = !s.principal?.wildcard && !s.notPrincipal && aws.length > 0 && aws.every((a) => isAccountRoot(a, keyAccount)) && (s.principal?.service.length ?? 0) === 0;
      const constrained = s.conditions.some((c) => {
        const k = c.key.toLowerCase();
        return k.startsWith('kms:encryptioncontext:') || k === 'kms:encryptioncontextkeys' || k === 'kms:viaservice';
      });
      if (!onlyRoot && !constrained) {
        findings.push({
          rule: 'decrypt-unconstrained',
          severity: 'info',
          message: `${describeStatementRef(s)} allows kms:Decrypt without an encryption-context or kms:ViaService condition.`,
          ...at(s, tree?.valuePos(s.index, s.action ? 'Action' : 'NotAction')),
          why: 'The principal can decrypt every ciphertext made under this key, whatever data it belongs to, from anywhere.',
          fix: 'Add a condition such as "StringEquals": {"kms:EncryptionContext:app": "orders"}, or "kms:ViaService": "s3.us-east-1.amazonaws.com".',
        });
      }
    }

    // Unknown actions.
    for (const [key, patterns] of [
      ['Action', s.action],
      ['NotAction', s.notAction],
    ] as const) {
      for (const pattern of patterns ?? []) {
        if (pattern === '*') continue;
        const kms = pattern.toLowerCase().startsWith('kms:');
        if (kms && expandAction(pattern).length > 0) continue;
        findings.push({
          rule: 'unknown-action',
          severity: 'warning',
          message: kms ? `${pattern} is not a KMS action.` : `${pattern} is not a KMS action: it never applies to a KMS key.`,
          ...at(s, tree?.valuePos(s.index, key, pattern)),
          why: 'A misspelt action silently grants (or denies) nothing, so the statement does not do what it says.',
          fix: kms ? `Use one of KMS's actions, e.g. ${suggestAction(pattern)}.` : 'Remove it, or replace it with the kms: action you meant.',
        });
      }
    }

    // Unknown condition keys.
    for (const c of s.conditions) {
      if (isKnownConditionKey(c.key)) continue;
      findings.push({
        rule: 'unknown-condition-key',
        severity: 'warning',
        message: `Condition key ${c.key} is not a KMS or AWS global condition key.`,
        ...at(s, tree?.conditionKeyPos(s.index, c.operator, c.key) ?? c.location),
        why: 'An unknown key is absent from every request, so the condition never matches (or, with IfExists or a negated operator, always does).',
        fix: 'Check the spelling against the KMS condition keys (kms:EncryptionContext:<key>, kms:ViaService, kms:CallerAccount …) and AWS global keys.',
      });
    }

    // NotPrincipal / NotAction with Allow.
    if (allow && s.notPrincipal) {
      findings.push({
        rule: 'negated-allow',
        severity: 'error',
        message: `${describeStatementRef(s)} uses NotPrincipal with Allow: it allows everyone except the listed principals.`,
        ...at(s, tree?.valuePos(s.index, 'NotPrincipal')),
        why: 'Allow with NotPrincipal opens the key to every AWS principal not listed, including other accounts and anonymous callers.',
        fix: 'Use Principal with the principals to allow; keep NotPrincipal only in Deny statements.',
      });
    }
    if (allow && s.notAction) {
      findings.push({
        rule: 'negated-allow',
        severity: 'warning',
        message: `${describeStatementRef(s)} uses NotAction with Allow: it allows every action except the listed ones.`,
        ...at(s, tree?.valuePos(s.index, 'NotAction')),
        why: 'Every KMS action not listed is allowed, including ones added to KMS later, such as new administrative operations.',
        fix: 'List the actions to allow in Action instead.',
      });
    }

    // Resource other than "*".
    const resourceIsStar = s.resource?.length === 1 && s.resource[0] === '*';
    if (!resourceIsStar) {
      findings.push({
        rule: 'resource-not-star',
        severity: 'warning',
        message: s.notResource
          ? `${describeStatementRef(s)} uses NotResource.`
          : s.resource
            ? `${describeStatementRef(s)} names Resource ${s.resource.join(', ')} instead of "*".`
            : `${describeStatementRef(s)} has no Resource, so it applies to nothing.`,
        ...at(s, tree?.valuePos(s.index, s.notResource ? 'NotResource' : 'Resource')),
        why: 'In a key policy "*" means "this key"; any other value either repeats this key\'s ARN or matches nothing, and breaks when the policy is copied to another key.',
        fix: 'Use "Resource": "*".',
      });
    }

    findings.push(...neverMatches(s, tree));
  }

  // Lockout risk: nobody in the key's account may change the policy.
  const admins = policy.statements.filter(
    (s) =>
      s.effect === 'Allow' &&
      s.conditions.length === 0 &&
      coversAction(s, 'kms:PutKeyPolicy') &&
      (s.principal?.aws ?? []).some((a) => isAccountRoot(a, keyAccount) || principalAccount(a) === keyAccount),
  );
  const denyAll = policy.statements.find(
    (s) => s.effect === 'Deny' && s.conditions.length === 0 && coversAction(s, 'kms:PutKeyPolicy') && (s.principal?.wildcard || (s.principal?.aws ?? []).includes(root)),
  );
  if (admins.length === 0 || denyAll) {
    const s = denyAll ?? policy.statements[0];
    findings.push({
      rule: 'lockout-risk',
      severity: 'error',
      message: denyAll
        ? `${describeStatementRef(denyAll)} denies kms:PutKeyPolicy to everyone: no one could change this policy again.`
        : `No statement lets the account root (${root}) or an administrator of account ${keyAccount} call kms:PutKeyPolicy without conditions.`,
      ...(denyAll ? at(denyAll) : { line: 1, column: 1, ...(s ? { statement: { index: s.index, ...(s.sid ? { sid: s.sid } : {}) } } : {}) }),
      why: 'If nobody can call PutKeyPolicy, the key becomes unmanageable; getting it back needs an AWS support case.',
      fix: `Keep the statement "Enable IAM User Permissions" that allows kms:* to ${root}, or allow kms:PutKeyPolicy to a key administrator.`,
    });
  }
  return findings;
}

function suggestAction(pattern: string): string {
  const name = pattern.slice(4).toLowerCase().replace(/[*?]/g, '');
  const close = expandAction('kms:*').find((a) => a.slice(4).toLowerCase().startsWith(name.slice(0, 4)));
  return close ?? 'kms:Decrypt';
}

function duplicateSids(tree: Tree): LintFinding[] {
  const seen = new Map<string, number>();
  const findings: LintFinding[] = [];
  tree.statements.forEach((node, index) => {
    const sid = [...node.entries].reverse().find((e) => e.key === 'Sid');
    if (sid?.value.kind !== 'string' || sid.value.value === '') return;
    const first = seen.get(sid.value.value);
    if (first === undefined) {
      seen.set(sid.value.value, index);
      return;
    }
    findings.push({
      rule: 'duplicate-sid',
      severity: 'error',
      message: `Sid "${sid.value.value}" is used by statements ${first + 1} and ${index + 1}.`,
      statement: { index, sid: sid.value.value },
      line: sid.value.pos.line,
      column: sid.value.pos.column,
      why: 'KMS rejects a policy whose statement IDs repeat (MalformedPolicyDocumentException), and tools that refer to statements by Sid cannot tell them apart.',
      fix: 'Give each statement its own Sid.',
    });
  });
  return findings;
}

/** The parser's value-type warnings ("not a number, so this condition never matches as written"). */
function typeWarnings(result: Extract<ParseResult, { ok: true }>): LintFinding[] {
  return result.warnings
    .filter((w) => w.message.includes('never matches'))
    .map((w) => {
      const index = /^Statement(?:\[(\d+)\])?/.exec(w.path);
      const statementIndex = index ? Number(index[1] ?? 0) : undefined;
      const s = statementIndex !== undefined ? result.policy.statements.find((st) => st.index === statementIndex) : undefined;
      return {
        rule: 'never-matches' as const,
        severity: 'warning' as const,
        message: w.message,
        ...(s ? { statement: { index: s.index, ...(s.sid ? { sid: s.sid } : {}) } } : {}),
        line: w.line,
        column: w.column,
        why: 'A condition that never matches makes an Allow grant nothing, or a Deny protect nothing.',
        fix: 'Write the value in the type the operator compares (a number, an ISO 8601 date, true/false, a CIDR block or an ARN).',
      };
    });
}

const NUMERIC_BOUND = /^-?\d+(\.\d+)?$/;

function neverMatches(s: Statement, tree?: Tree): LintFinding[] {
  const findings: LintFinding[] = [];
  const report = (c: ConditionClause, message: string, why: string, fix: string) =>
    findings.push({ rule: 'never-matches', severity: 'warning', message: `${describeStatementRef(s)}: ${message}`, ...at(s, tree?.conditionKeyPos(s.index, c.operator, c.key) ?? c.location), why, fix });

  for (const c of s.conditions) {
    // Counts, periods, ages and epoch times in requests are never negative.
    if (c.base === 'NumericLessThan' && c.values.every((v) => NUMERIC_BOUND.test(v) && Number(v) <= 0)) {
      report(c, `${c.operator} ${c.values.join(', ')} on ${c.key} can never be true.`, 'The values KMS and AWS supply for numeric keys are never negative, so no request satisfies it.', 'Use a positive bound, or NumericGreaterThan if that is what you meant.');
    } else if (c.base === 'NumericLessThanEquals' && c.values.every((v) => NUMERIC_BOUND.test(v) && Number(v) < 0)) {
      report(c, `${c.operator} ${c.values.join(', ')} on ${c.key} can never be true.`, 'The values KMS and AWS supply for numeric keys are never negative, so no request satisfies it.', 'Use a non-negative bound.');
    }
  }

  const byKey = new Map<string, ConditionClause[]>();
  for (const c of s.conditions) byKey.set(c.key.toLowerCase(), [...(byKey.get(c.key.toLowerCase()) ?? []), c]);
  for (const [key, clauses] of byKey) {
    // Null true ("the key is absent") together with a test of its value.
    const nullTrue = clauses.find((c) => c.base === 'Null' && c.values.every((v) => v.toLowerCase() === 'true'));
    const valueTest = clauses.find((c) => c.base !== 'Null' && !c.ifExists && !c.base.includes('Not'));
    if (nullTrue && valueTest) {
      report(valueTest, `Null true on ${nullTrue.key} requires the key to be absent, but ${valueTest.operator} requires it to have a value.`, 'Both conditions must hold, and a key cannot be absent and present at once.', `Remove one of them, or use ${valueTest.operator}IfExists if an absent key should pass.`);
      continue;
    }
    if (MULTI_VALUED_KEYS.has(key) || clauses.some((c) => c.set)) continue;
    // Contradictory string tests on a single-valued key: no value satisfies them all.
    const equals = clauses.find((c) => c.base === 'StringEquals' && !c.ifExists && !c.values.some((v) => v.includes('${')));
    if (!equals) continue;
    const others = clauses.filter((c) => c !== equals && ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'StringNotEquals', 'StringNotLike'].includes(c.base));
    if (others.length === 0) continue;
    const satisfies = (value: string, c: ConditionClause) => {
      switch (c.base) {
        case 'StringEquals':
          return c.values.includes(value);
        case 'StringEqualsIgnoreCase':
          return c.values.some((v) => v.toLowerCase() === value.toLowerCase());
        case 'StringLike':
          return c.values.some((v) => wildcardMatch(v, value));
        case 'StringNotEquals':
          return !c.values.includes(value);
        case 'StringNotLike':
          return !c.values.some((v) => wildcardMatch(v, value));
        default:
          return true;
      }
    };
    if (!equals.values.some((v) => others.every((c) => satisfies(v, c)))) {
      const other = others.find((c) => !equals.values.some((v) => satisfies(v, c))) ?? others[0];
      report(
        other,
        `${equals.key} must equal ${equals.values.join(' or ')} (${equals.operator}) and also satisfy ${other.operator} ${other.values.join(', ')}: no value does both.`,
        `${equals.key} has one value per request, so contradictory tests on it can never all be true.`,
        'Keep one test, or list every accepted value in a single StringEquals.',
      );
    }
  }
  return findings;
}
