/**
 * What changed between two versions of a key policy, for the version history: statements added, removed
 * and changed (matched by Sid), and the principals that Allow statements name gained or lost.
 */
import { normalizePrincipal, principalLabel } from './access';
import { parsePolicy } from './parse';
import type { ConditionClause, PolicyDocument, PrincipalSpec, Statement } from './types';

export interface StatementChange {
  /** `“Sid”`, or `statement 3` when it has none. */
  label: string;
  /** Short notes, e.g. `+kms:Decrypt`, `principal −role/app`, `Allow → Deny`. */
  details: string[];
}

export interface PolicyChange {
  /** False when either version does not parse as a key policy: then only `textChanged` is known. */
  parsed: boolean;
  textChanged: boolean;
  added: string[];
  removed: string[];
  changed: StatementChange[];
  /** Principals named by an Allow statement's Principal now and not before (short labels). */
  principalsGained: string[];
  principalsLost: string[];
  /** `Id` or `Version` of the document, when either changed. */
  document: string[];
}

const labelOf = (s: Statement) => (s.sid !== undefined && s.sid !== '' ? `“${s.sid}”` : `statement ${s.index + 1}`);

function principalIds(spec: PrincipalSpec | undefined): string[] {
  if (!spec) return [];
  return [...(spec.wildcard ? ['*'] : []), ...spec.aws.filter((a) => a !== '*').map(normalizePrincipal), ...spec.service, ...spec.federated].sort();
}

const clauseText = (c: ConditionClause) => `${c.operator} ${c.key}`;
const clauseValues = (c: ConditionClause) => [...c.values].sort().join('\u0000');
const lower = (list: string[] | undefined) => (list ? [...new Set(list.map((a) => a.toLowerCase()))].sort() : undefined);

/** The statement without its place in the text, so a moved or reformatted statement compares equal. */
function canonical(s: Statement): string {
  return JSON.stringify({
    effect: s.effect,
    principal: s.principal && principalIds(s.principal),
    notPrincipal: s.notPrincipal && principalIds(s.notPrincipal),
    action: lower(s.action),
    notAction: lower(s.notAction),
    resource: s.resource && [...s.resource].sort(),
    notResource: s.notResource && [...s.notResource].sort(),
    conditions: s.conditions.map((c) => `${c.operator.toLowerCase()} ${c.key.toLowerCase()}=${clauseValues(c)}`).sort(),
  });
}

function setDelta(before: string[] | undefined, after: string[] | undefined, prefix: string, label: (x: string) => string = (x) => x): string[] {
  const b = new Set(before ?? []);
  const a = new Set(after ?? []);
  return [...[...a].filter((x) => !b.has(x)).map((x) => `${prefix}+${label(x)}`), ...[...b].filter((x) => !a.has(x)).map((x) => `${prefix}−${label(x)}`)];
}

function statementDetails(before: Statement, after: Statement, keyAccount: string | undefined): string[] {
  const who = (x: string) => principalLabel(x, keyAccount);
  const details: string[] = [];
  if (before.effect !== after.effect) details.push(`${before.effect} → ${after.effect}`);
  details.push(...setDelta(lower(before.action), lower(after.action), '', (a) => actionName(a, before, after)));
  details.push(...setDelta(lower(before.notAction), lower(after.notAction), 'NotAction ', (a) => actionName(a, before, after)));
  details.push(...setDelta(before.principal && principalIds(before.principal), after.principal && principalIds(after.principal), 'principal ', who));
  details.push(...setDelta(before.notPrincipal && principalIds(before.notPrincipal), after.notPrincipal && principalIds(after.notPrincipal), 'NotPrincipal ', who));
  if (JSON.stringify([before.resource, before.notResource].map((r) => r && [...r].sort())) !== JSON.stringify([after.resource, after.notResource].map((r) => r && [...r].sort()))) {
    details.push('resource changed');
  }
  const byKey = (list: ConditionClause[]) => new Map(list.map((c) => [clauseText(c).toLowerCase(), c]));
  const b = byKey(before.conditions);
  const a = byKey(after.conditions);
  for (const [k, c] of a) {
    const old = b.get(k);
    if (!old) details.push(`condition +${clauseText(c)}`);
    else if (clauseValues(old) !== clauseValues(c)) details.push(`condition ${clauseText(c)} values changed`);
  }
  for (const [k, c] of b) if (!a.has(k)) details.push(`condition −${clauseText(c)}`);
  return details;
}

/** An action as the policy spells it (the comparison ignores case). */
function actionName(lowered: string, ...statements: Statement[]): string {
  for (const s of statements) for (const a of [...(s.action ?? []), ...(s.notAction ?? [])]) if (a.toLowerCase() === lowered) return a;
  return lowered;
}

function allowedPrincipals(policy: PolicyDocument): Set<string> {
  return new Set(policy.statements.filter((s) => s.effect === 'Allow').flatMap((s) => principalIds(s.principal)));
}

/** Compares two versions of a key policy (JSON text). `keyAccount` shortens this account's principals (`role/app`). */
export function policyChange(beforeText: string, afterText: string, keyAccount?: string): PolicyChange {
  const empty: PolicyChange = { parsed: false, textChanged: beforeText !== afterText, added: [], removed: [], changed: [], principalsGained: [], principalsLost: [], document: [] };
  const before = parsePolicy(beforeText);
  const after = parsePolicy(afterText);
  if (!before.ok || !after.ok) return empty;
  const change: PolicyChange = { ...empty, parsed: true };
  const b = before.policy;
  const a = after.policy;
  if ((b.id ?? '') !== (a.id ?? '')) change.document.push(`Id ${b.id ?? '(none)'} → ${a.id ?? '(none)'}`);
  if ((b.version ?? '2008-10-17') !== (a.version ?? '2008-10-17')) change.document.push(`Version ${b.version ?? '(none)'} → ${a.version ?? '(none)'}`);

  // Statements with a Sid are matched by it (in order, should Sids repeat); the others by their content, then by order.
  const unmatchedBefore = [...b.statements];
  const pairs: [Statement, Statement][] = [];
  const addedStatements: Statement[] = [];
  for (const s of a.statements.filter((x) => x.sid)) {
    const i = unmatchedBefore.findIndex((x) => x.sid === s.sid);
    if (i < 0) addedStatements.push(s);
    else pairs.push([unmatchedBefore.splice(i, 1)[0], s]);
  }
  const anonymousAfter: Statement[] = [];
  for (const s of a.statements.filter((x) => !x.sid)) {
    const i = unmatchedBefore.findIndex((x) => !x.sid && canonical(x) === canonical(s));
    if (i < 0) anonymousAfter.push(s);
    else unmatchedBefore.splice(i, 1);
  }
  const anonymousBefore = unmatchedBefore.filter((x) => !x.sid);
  for (const [i, s] of anonymousAfter.entries()) {
    if (i < anonymousBefore.length) pairs.push([anonymousBefore[i], s]);
    else addedStatements.push(s);
  }
  const removedStatements = [...unmatchedBefore.filter((x) => x.sid), ...anonymousBefore.slice(anonymousAfter.length)];

  change.added = addedStatements.sort((x, y) => x.index - y.index).map(labelOf);
  change.removed = removedStatements.sort((x, y) => x.index - y.index).map(labelOf);
  for (const [old, now] of pairs.sort((x, y) => x[1].index - y[1].index)) {
    if (canonical(old) === canonical(now)) continue;
    const details = statementDetails(old, now, keyAccount);
    change.changed.push({ label: labelOf(now), details: details.length > 0 ? details : ['reworded'] });
  }
  const gainedOrLost = setDelta([...allowedPrincipals(b)], [...allowedPrincipals(a)], '');
  change.principalsGained = gainedOrLost.filter((x) => x.startsWith('+')).map((x) => principalLabel(x.slice(1), keyAccount));
  change.principalsLost = gainedOrLost.filter((x) => x.startsWith('−')).map((x) => principalLabel(x.slice(1), keyAccount));
  return change;
}

/** The change as short sentences for people, most telling first. */
export function describePolicyChange(change: PolicyChange): string[] {
  if (!change.textChanged) return ['No change.'];
  if (!change.parsed) return ['The JSON changed; one of the two versions does not parse, so no statement-level summary.'];
  const lines: string[] = [];
  if (change.added.length > 0) lines.push(`Added ${change.added.join(', ')}`);
  if (change.removed.length > 0) lines.push(`Removed ${change.removed.join(', ')}`);
  for (const c of change.changed) lines.push(`Changed ${c.label}: ${c.details.join(', ')}`);
  if (change.principalsGained.length > 0) lines.push(`Principals gained: ${change.principalsGained.join(', ')}`);
  if (change.principalsLost.length > 0) lines.push(`Principals lost: ${change.principalsLost.join(', ')}`);
  if (change.document.length > 0) lines.push(change.document.join(', '));
  return lines.length > 0 ? lines : ['Formatting only: the same statements.'];
}
