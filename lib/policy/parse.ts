/**
 * Parses a policy document and checks it against the IAM/KMS policy grammar, reporting every problem
 * with the line and column of the offending key or value, and normalizes it into a PolicyDocument.
 */
import { BASE_OPERATORS, parseCidr, parseOperator, toEpochMillis } from './conditions';
import { JsonSyntaxError, parseJson, type JsonEntry, type JsonNode, type Position } from './json';
import type { ConditionClause, PolicyDocument, PolicyError, PolicyKind, ParseResult, PrincipalSpec, SourceLocation, Statement } from './types';

/** "Key policy document size quota: 32 KB (32,768 bytes)" — KMS developer guide, key-policy-overview.html and resource-limits.html. */
export const MAX_KEY_POLICY_BYTES = 32_768;

export interface ParseOptions {
  /** Defaults to `key-policy`. */
  kind?: PolicyKind;
}

export function parsePolicy(text: string, options: ParseOptions = {}): ParseResult {
  const kind = options.kind ?? 'key-policy';
  const errors: PolicyError[] = [];
  const warnings: PolicyError[] = [];
  if (kind === 'key-policy') {
    checkSize(text, errors);
    checkCharacters(text, errors);
  }
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    errors.push({ message: `Invalid JSON: ${error.message}.`, line: error.pos.line, column: error.pos.column, path: '', code: 'json-syntax' });
    return { ok: false, errors, warnings };
  }
  const policy = new Validator(kind, errors, warnings).document(root);
  if (errors.length > 0 || !policy) return { ok: false, errors, warnings };
  return { ok: true, policy, warnings };
}

function checkSize(text: string, errors: PolicyError[]): void {
  // Bytes as sent on the wire (UTF-8); every allowed character above U+007F takes two.
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_KEY_POLICY_BYTES) {
    errors.push({
      message: `The key policy is ${bytes.toLocaleString('en-US')} bytes; the limit is ${MAX_KEY_POLICY_BYTES.toLocaleString('en-US')} bytes (32 KB).`,
      line: 1,
      column: 1,
      path: '',
      code: 'size-limit',
    });
  }
}

/** "Printable ASCII characters, printable characters in the Basic Latin and Latin-1 Supplement, tab, line feed, carriage return." */
function isAllowedChar(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff);
}

const MAX_CHARACTER_ERRORS = 10;

function checkCharacters(text: string, errors: PolicyError[]): void {
  let line = 1;
  let lineStart = 0;
  let found = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isAllowedChar(code)) {
      found++;
      if (found <= MAX_CHARACTER_ERRORS) {
        const cp = text.codePointAt(i) ?? code;
        errors.push({
          message: `Character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not allowed: a key policy may contain only printable ASCII and Latin-1 characters, tab, line feed and carriage return.`,
          line,
          column: i - lineStart + 1,
          path: '',
          code: 'character',
        });
      }
      // A character outside the BMP is one error, not one per UTF-16 half.
      if (code >= 0xd800 && code <= 0xdbff) i++;
    }
    if (code === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  if (found > MAX_CHARACTER_ERRORS) {
    errors.push({ message: `…and ${found - MAX_CHARACTER_ERRORS} more characters that are not allowed.`, line: 1, column: 1, path: '', code: 'character' });
  }
}

const TOP_LEVEL_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated']);
const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/;
const ACTION = /^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/;

function childPath(path: string, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return path === '' ? (part.startsWith('.') ? key : part) : `${path}${part}`;
}

function describe(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'number':
      return `the number ${node.raw}`;
    case 'boolean':
      return `${node.value}`;
    case 'null':
      return 'null';
  }
}

class Validator {
  private readonly seenSids = new Set<string>();

  constructor(
    private readonly kind: PolicyKind,
    private readonly errors: PolicyError[],
    private readonly warnings: PolicyError[],
  ) {}

  private error(message: string, pos: SourceLocation, path: string): void {
    this.errors.push({ message, line: pos.line, column: pos.column, path, code: 'grammar' });
  }

  private warn(message: string, pos: SourceLocation, path: string): void {
    this.warnings.push({ message, line: pos.line, column: pos.column, path, code: 'grammar' });
  }

  /** Object entries by key, warning about repeated keys (the last one wins, as with JSON.parse). */
  private entries(node: Extract<JsonNode, { kind: 'object' }>, path: string): Map<string, JsonEntry> {
    const map = new Map<string, JsonEntry>();
    for (const entry of node.entries) {
      if (map.has(entry.key)) this.warn(`Duplicate key ${JSON.stringify(entry.key)}: only the last one counts.`, entry.keyPos, childPath(path, entry.key));
      map.set(entry.key, entry);
    }
    return map;
  }

  document(root: JsonNode): PolicyDocument | undefined {
    if (root.kind !== 'object') {
      this.error(`A policy must be a JSON object, not ${describe(root)}.`, root.pos, '');
      return undefined;
    }
    const entries = this.entries(root, '');
    for (const entry of entries.values()) {
      if (!TOP_LEVEL_KEYS.has(entry.key)) this.error(`Unknown policy element ${JSON.stringify(entry.key)}: expected Version, Id or Statement.`, entry.keyPos, childPath('', entry.key));
    }

    let version: PolicyDocument['version'];
    const v = entries.get('Version');
    if (v) {
      if (v.value.kind === 'string' && (v.value.value === '2012-10-17' || v.value.value === '2008-10-17')) version = v.value.value;
      else this.error(`Version must be "2012-10-17" or "2008-10-17", not ${describe(v.value)}.`, v.value.pos, 'Version');
    }

    let id: string | undefined;
    const idEntry = entries.get('Id');
    if (idEntry) {
      if (idEntry.value.kind === 'string') id = idEntry.value.value;
      else this.error(`Id must be a string, not ${describe(idEntry.value)}.`, idEntry.value.pos, 'Id');
    }

    const statements: Statement[] = [];
    const st = entries.get('Statement');
    if (!st) {
      this.error('The policy has no Statement: a policy needs at least one statement.', root.pos, 'Statement');
    } else if (st.value.kind === 'object') {
      const s = this.statement(st.value, 0, 'Statement');
      if (s) statements.push(s);
    } else if (st.value.kind === 'array') {
      if (st.value.items.length === 0) this.error('Statement is empty: a policy needs at least one statement.', st.value.pos, 'Statement');
      st.value.items.forEach((item, i) => {
        const path = `Statement[${i}]`;
        if (item.kind !== 'object') {
          this.error(`Each statement must be a JSON object, not ${describe(item)}.`, item.pos, path);
          return;
        }
        const s = this.statement(item, i, path);
        if (s) statements.push(s);
      });
    } else {
      this.error(`Statement must be an object or an array of objects, not ${describe(st.value)}.`, st.value.pos, 'Statement');
    }

    return { kind: this.kind, version, id, statements };
  }

  private statement(node: Extract<JsonNode, { kind: 'object' }>, index: number, path: string): Statement | undefined {
    const entries = this.entries(node, path);
    for (const entry of entries.values()) {
      if (!STATEMENT_KEYS.has(entry.key)) {
        this.error(
          `Unknown statement element ${JSON.stringify(entry.key)}: expected Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource or Condition.`,
          entry.keyPos,
          childPath(path, entry.key),
        );
      }
    }
    const location = { line: node.pos.line, column: node.pos.column };
    const errorsBefore = this.errors.length;

    let sid: string | undefined;
    const sidEntry = entries.get('Sid');
    if (sidEntry) {
      const p = childPath(path, 'Sid');
      if (sidEntry.value.kind !== 'string') {
        this.error(`Sid must be a string, not ${describe(sidEntry.value)}.`, sidEntry.value.pos, p);
      } else {
        sid = sidEntry.value.value;
        if (sid !== '' && this.seenSids.has(sid)) this.error(`Duplicate Sid ${JSON.stringify(sid)}: statement IDs must be unique within a policy.`, sidEntry.value.pos, p);
        this.seenSids.add(sid);
        if (this.kind === 'identity-policy' && !/^[A-Za-z0-9]*$/.test(sid)) {
          this.error(`Sid ${JSON.stringify(sid)} may contain only letters and digits in an IAM policy.`, sidEntry.value.pos, p);
        } else if (this.kind === 'key-policy' && !/^[A-Za-z0-9 ]*$/.test(sid)) {
          // Key policy Sids may contain spaces (KMS developer guide, key-policy-overview.html); other characters are unusual.
          this.warn(`Sid ${JSON.stringify(sid)} contains characters other than letters, digits and spaces.`, sidEntry.value.pos, p);
        }
      }
    }

    let effect: Statement['effect'] | undefined;
    const effectEntry = entries.get('Effect');
    if (!effectEntry) this.error('The statement has no Effect: it must be "Allow" or "Deny".', node.pos, childPath(path, 'Effect'));
    else if (effectEntry.value.kind === 'string' && (effectEntry.value.value === 'Allow' || effectEntry.value.value === 'Deny')) effect = effectEntry.value.value;
    else this.error(`Effect must be "Allow" or "Deny", not ${describe(effectEntry.value)}.`, effectEntry.value.pos, childPath(path, 'Effect'));

    const principalEntry = entries.get('Principal');
    const notPrincipalEntry = entries.get('NotPrincipal');
    let principal: PrincipalSpec | undefined;
    let notPrincipal: PrincipalSpec | undefined;
    if (this.kind === 'identity-policy') {
      for (const e of [principalEntry, notPrincipalEntry]) {
        if (e) this.error(`${e.key} is not allowed in an identity-based (IAM) policy: the principal is the identity the policy is attached to.`, e.keyPos, childPath(path, e.key));
      }
    } else if (principalEntry && notPrincipalEntry) {
      this.error('A statement can have Principal or NotPrincipal, not both.', notPrincipalEntry.keyPos, childPath(path, 'NotPrincipal'));
    } else if (!principalEntry && !notPrincipalEntry) {
      this.error('A key policy statement must have a Principal (or NotPrincipal).', node.pos, childPath(path, 'Principal'));
    } else if (principalEntry) {
      principal = this.principal(principalEntry.value, childPath(path, 'Principal'));
    } else if (notPrincipalEntry) {
      notPrincipal = this.principal(notPrincipalEntry.value, childPath(path, 'NotPrincipal'));
      if (effect === 'Allow') {
        this.warn('NotPrincipal with "Effect": "Allow" allows everyone except the listed principals; AWS supports NotPrincipal only with Deny.', notPrincipalEntry.keyPos, childPath(path, 'NotPrincipal'));
      }
    }

    const [action, notAction] = this.pair(entries, 'Action', 'NotAction', node.pos, path, true, (n, p) => this.actions(n, p));
    const [resource, notResource] = this.pair(entries, 'Resource', 'NotResource', node.pos, path, false, (n, p) => this.resources(n, p));
    if (!entries.has('Resource') && !entries.has('NotResource')) {
      if (this.kind === 'identity-policy') {
        this.error('The statement has no Resource (or NotResource).', node.pos, childPath(path, 'Resource'));
      } else {
        // KMS accepts it but the statement then applies to no key (key-policy-overview.html).
        this.warn('The statement has no Resource, so it has no effect; use "Resource": "*" for this key.', node.pos, childPath(path, 'Resource'));
      }
    }

    const conditionEntry = entries.get('Condition');
    const conditions = conditionEntry ? this.conditions(conditionEntry.value, childPath(path, 'Condition')) : [];

    if (this.errors.length > errorsBefore || !effect) return undefined;
    return { index, sid, effect, principal, notPrincipal, action, notAction, resource, notResource, conditions, location, path };
  }

  /** Validates an either/or pair such as Action/NotAction. */
  private pair(
    entries: Map<string, JsonEntry>,
    name: string,
    notName: string,
    statementPos: Position,
    path: string,
    required: boolean,
    read: (node: JsonNode, path: string) => string[] | undefined,
  ): [string[] | undefined, string[] | undefined] {
    const a = entries.get(name);
    const b = entries.get(notName);
    if (a && b) {
      this.error(`A statement can have ${name} or ${notName}, not both.`, b.keyPos, childPath(path, notName));
      return [undefined, undefined];
    }
    if (!a && !b) {
      if (required) this.error(`The statement has no ${name} (or ${notName}).`, statementPos, childPath(path, name));
      return [undefined, undefined];
    }
    return a ? [read(a.value, childPath(path, name)), undefined] : [undefined, read(b!.value, childPath(path, notName))];
  }

  /** A string or a non-empty array of strings. */
  private stringList(node: JsonNode, path: string, what: string): { value: string; pos: Position; path: string }[] | undefined {
    if (node.kind === 'string') return [{ value: node.value, pos: node.pos, path }];
    if (node.kind === 'array') {
      if (node.items.length === 0) {
        this.error(`${what} must not be an empty array.`, node.pos, path);
        return undefined;
      }
      const out: { value: string; pos: Position; path: string }[] = [];
      node.items.forEach((item, i) => {
        if (item.kind === 'string') out.push({ value: item.value, pos: item.pos, path: `${path}[${i}]` });
        else this.error(`${what} entries must be strings, not ${describe(item)}.`, item.pos, `${path}[${i}]`);
      });
      return out;
    }
    this.error(`${what} must be a string or an array of strings, not ${describe(node)}.`, node.pos, path);
    return undefined;
  }

  private actions(node: JsonNode, path: string): string[] | undefined {
    const list = this.stringList(node, path, 'Action');
    if (!list) return undefined;
    for (const { value, pos, path: p } of list) {
      if (value === '*') continue;
      if (!value.includes(':')) this.error(`Action ${JSON.stringify(value)} needs a service prefix, e.g. "kms:${value || 'Encrypt'}".`, pos, p);
      else if (!ACTION.test(value)) this.error(`Action ${JSON.stringify(value)} is not valid: expected "service:Operation", where the operation may use * and ? wildcards.`, pos, p);
      else if (this.kind === 'key-policy' && !value.toLowerCase().startsWith('kms:')) this.warn(`Action ${JSON.stringify(value)} is not a KMS action, so it never applies to a KMS key.`, pos, p);
    }
    return list.map((e) => e.value);
  }

  private resources(node: JsonNode, path: string): string[] | undefined {
    const list = this.stringList(node, path, 'Resource');
    if (!list) return undefined;
    for (const { value, pos, path: p } of list) {
      if (value !== '*' && !value.startsWith('arn:')) this.error(`Resource ${JSON.stringify(value)} must be "*" or an ARN.`, pos, p);
    }
    return list.map((e) => e.value);
  }

  private principal(node: JsonNode, path: string): PrincipalSpec | undefined {
    const spec: PrincipalSpec = { wildcard: false, aws: [], service: [], federated: [] };
    if (node.kind === 'string') {
      if (node.value === '*') return { ...spec, wildcard: true };
      this.error(`A principal must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, not ${describe(node)}.`, node.pos, path);
      return undefined;
    }
    if (node.kind !== 'object') {
      this.error(`A principal must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, not ${describe(node)}.`, node.pos, path);
      return undefined;
    }
    if (node.entries.length === 0) {
      this.error('The principal names no one: use AWS, Service or Federated.', node.pos, path);
      return undefined;
    }
    const before = this.errors.length;
    for (const entry of this.entries(node, path).values()) {
      const p = childPath(path, entry.key);
      if (!PRINCIPAL_KEYS.has(entry.key)) {
        this.error(`Unknown principal type ${JSON.stringify(entry.key)}: expected AWS, Service or Federated.`, entry.keyPos, p);
        continue;
      }
      const list = this.stringList(entry.value, p, `Principal ${entry.key}`);
      if (!list) continue;
      for (const { value, pos, path: vp } of list) {
        if (entry.key === 'AWS') {
          if (value === '*') spec.wildcard = true;
          else if (value.includes('*') || value.includes('?')) this.error(`You cannot use a wildcard to match part of a principal name or ARN (${JSON.stringify(value)}); use "*" or a condition on aws:PrincipalArn.`, pos, vp);
          else if (ACCOUNT_ID.test(value) || PRINCIPAL_ARN.test(value)) spec.aws.push(value);
          else this.error(`${JSON.stringify(value)} is not an AWS principal: expected a 12-digit account ID, an IAM or STS ARN, or "*".`, pos, vp);
        } else if (entry.key === 'Service') {
          if (/^[a-z0-9][a-z0-9.-]*\.[a-z]+$/i.test(value)) spec.service.push(value);
          else this.error(`${JSON.stringify(value)} is not a service principal such as "logs.amazonaws.com".`, pos, vp);
        } else if (value === '') {
          this.error('A federated principal must not be empty.', pos, vp);
        } else {
          spec.federated.push(value);
        }
      }
    }
    return this.errors.length > before ? undefined : spec;
  }

  private conditions(node: JsonNode, path: string): ConditionClause[] {
    if (node.kind !== 'object') {
      this.error(`Condition must be an object such as {"StringEquals": {"kms:CallerAccount": "111122223333"}}, not ${describe(node)}.`, node.pos, path);
      return [];
    }
    const clauses: ConditionClause[] = [];
    for (const opEntry of this.entries(node, path).values()) {
      const opPath = childPath(path, opEntry.key);
      const parsed = parseOperator(opEntry.key) ?? parseOperator(canonicalOperatorCase(opEntry.key));
      if (!parsed) {
        this.error(`Unknown condition operator ${JSON.stringify(opEntry.key)}.`, opEntry.keyPos, opPath);
        continue;
      }
      if (opEntry.value.kind !== 'object') {
        this.error(`The value of ${opEntry.key} must be an object of condition keys, not ${describe(opEntry.value)}.`, opEntry.value.pos, opPath);
        continue;
      }
      if (opEntry.value.entries.length === 0) this.warn(`${opEntry.key} has no condition keys, so it is always met.`, opEntry.value.pos, opPath);
      for (const keyEntry of this.entries(opEntry.value, opPath).values()) {
        const keyPath = childPath(opPath, keyEntry.key);
        if (!/^[^:\s]+:\S+$/.test(keyEntry.key)) {
          this.error(`Condition key ${JSON.stringify(keyEntry.key)} needs a prefix, such as aws:SourceIp or kms:CallerAccount.`, keyEntry.keyPos, keyPath);
          continue;
        }
        const values = this.conditionValues(keyEntry.value, keyPath);
        if (!values) continue;
        if (parsed.set === 'ForAllValues' && keyEntry.key.toLowerCase().startsWith('kms:encryptioncontext:')) {
          // KMS rejects this (conditions-kms.html, "OverlyPermissiveCondition"); IAM only warns.
          const message =
            'OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues.';
          if (this.kind === 'key-policy') this.error(message, opEntry.keyPos, keyPath);
          else this.warn(message, opEntry.keyPos, keyPath);
        }
        this.checkValueTypes(parsed.base, values);
        clauses.push({
          operator: opEntry.key,
          base: parsed.base,
          set: parsed.set,
          ifExists: parsed.ifExists,
          key: keyEntry.key,
          values: values.map((v) => v.value),
          location: { line: opEntry.keyPos.line, column: opEntry.keyPos.column },
        });
      }
    }
    return clauses;
  }

  private conditionValues(node: JsonNode, path: string): { value: string; pos: Position; path: string }[] | undefined {
    const scalar = (n: JsonNode, p: string): { value: string; pos: Position; path: string } | undefined => {
      if (n.kind === 'string') return { value: n.value, pos: n.pos, path: p };
      if (n.kind === 'number') return { value: n.raw, pos: n.pos, path: p };
      if (n.kind === 'boolean') return { value: String(n.value), pos: n.pos, path: p };
      this.error(`A condition value must be a string, number or boolean, not ${describe(n)}.`, n.pos, p);
      return undefined;
    };
    if (node.kind !== 'array') {
      const v = scalar(node, path);
      return v ? [v] : undefined;
    }
    if (node.items.length === 0) {
      this.error('A condition needs at least one value.', node.pos, path);
      return undefined;
    }
    const out = node.items.map((item, i) => scalar(item, `${path}[${i}]`));
    return out.every((v) => v !== undefined) ? (out as { value: string; pos: Position; path: string }[]) : undefined;
  }

  /** Values that can never match are almost always mistakes; AWS does not always reject them, so these are warnings. */
  private checkValueTypes(base: ConditionClause['base'], values: { value: string; pos: Position; path: string }[]): void {
    for (const { value, pos, path } of values) {
      if (value.includes('${')) continue;
      let problem: string | undefined;
      if (base.startsWith('Numeric') && (value.trim() === '' || Number.isNaN(Number(value)))) problem = `${JSON.stringify(value)} is not a number`;
      else if (base.startsWith('Date') && Number.isNaN(toEpochMillis(value))) problem = `${JSON.stringify(value)} is not an ISO 8601 date or epoch time`;
      else if ((base === 'Bool' || base === 'Null') && !/^(true|false)$/i.test(value)) problem = `${base} takes true or false, not ${JSON.stringify(value)}`;
      else if ((base === 'IpAddress' || base === 'NotIpAddress') && !parseCidr(value)) problem = `${JSON.stringify(value)} is not an IP address or CIDR block`;
      else if (base.startsWith('Arn') && value !== '*' && value.split(':').length < 6) problem = `${JSON.stringify(value)} is not an ARN`;
      if (problem) this.warn(`${problem}, so this condition never matches as written.`, pos, path);
    }
  }
}

/** Operator names are matched case-insensitively and normalized to AWS's spelling. */
function canonicalOperatorCase(name: string): string {
  const lower = name.toLowerCase();
  const prefixes = ['forallvalues:', 'foranyvalue:'];
  const prefix = prefixes.find((p) => lower.startsWith(p));
  const canonicalPrefix = prefix === 'forallvalues:' ? 'ForAllValues:' : prefix === 'foranyvalue:' ? 'ForAnyValue:' : '';
  let rest = prefix ? lower.slice(prefix.length) : lower;
  const ifExists = rest.endsWith('ifexists');
  if (ifExists) rest = rest.slice(0, -'ifexists'.length);
  const base = BASE_OPERATORS.find((b) => b.toLowerCase() === rest);
  return base ? `${canonicalPrefix}${base}${ifExists ? 'IfExists' : ''}` : name;
}

