/**
 * Parser and grammar checks. Rules come from the KMS developer guide's key-policy-overview.html
 * ("Key policy format", "Elements in a key policy") and the IAM User Guide's JSON element reference
 * (reference_policies_elements_*.html, reference_policies_grammar.html).
 */
import { describe, expect, it } from 'vitest';
import { MAX_KEY_POLICY_BYTES, parsePolicy } from './parse';
import { ALICE, ROOT } from './test-support';
import type { ParseResult, PolicyError } from './types';

function errorsOf(result: ParseResult): PolicyError[] {
  if (result.ok) throw new Error('expected the policy to be rejected');
  return result.errors;
}

function okPolicy(result: ParseResult) {
  if (!result.ok) throw new Error(`expected the policy to parse: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.policy;
}

/** The 1-based line and column where `needle` first occurs in `text` (after `from`, if given): an independent oracle for positions. */
function at(text: string, needle: string, from?: string): { line: number; column: number } {
  const index = text.indexOf(needle, from === undefined ? 0 : text.indexOf(from) + from.length);
  if (index < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

/** A one-statement key policy as text, pretty-printed so lines and columns are predictable. */
const keyPolicyText = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);
const base = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' };

describe('parsePolicy: valid documents', () => {
  it('normalizes the default key policy into arrays with statement locations', () => {
    const text = `{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "${ROOT}"},
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}`;
    const result = parsePolicy(text);
    const policy = okPolicy(result);
    expect(result.warnings).toEqual([]);
    expect(policy).toMatchObject({ kind: 'key-policy', version: '2012-10-17', id: 'key-default-1' });
    expect(policy.statements).toEqual([
      {
        index: 0,
        sid: 'Enable IAM User Permissions',
        effect: 'Allow',
        principal: { wildcard: false, aws: [ROOT], service: [], federated: [] },
        notPrincipal: undefined,
        action: ['kms:*'],
        notAction: undefined,
        resource: ['*'],
        notResource: undefined,
        conditions: [],
        location: { line: 5, column: 5 },
        path: 'Statement[0]',
      },
    ]);
  });

  it('accepts a single statement object and "Principal": "*"', () => {
    const policy = okPolicy(parsePolicy(JSON.stringify({ Statement: { Effect: 'Deny', Principal: '*', Action: ['kms:Get*', 'kms:List*'], Resource: '*' } })));
    expect(policy.version).toBeUndefined();
    expect(policy.statements[0]).toMatchObject({ path: 'Statement', principal: { wildcard: true }, action: ['kms:Get*', 'kms:List*'] });
  });

  it('normalizes conditions: set operator, IfExists, and values as strings', () => {
    const policy = okPolicy(
      parsePolicy(
        keyPolicyText({
          ...base,
          Condition: {
            'ForAnyValue:StringEqualsIfExists': { 'kms:EncryptionContextKeys': ['AppName', 'Team'] },
            NumericLessThan: { 'kms:RotationPeriodInDays': 400 },
            Bool: { 'kms:GrantIsForAWSResource': true },
          },
        }),
      ),
    );
    expect(policy.statements[0].conditions.map(({ operator, base: b, set, ifExists, key, values }) => ({ operator, base: b, set, ifExists, key, values }))).toEqual([
      { operator: 'ForAnyValue:StringEqualsIfExists', base: 'StringEquals', set: 'ForAnyValue', ifExists: true, key: 'kms:EncryptionContextKeys', values: ['AppName', 'Team'] },
      { operator: 'NumericLessThan', base: 'NumericLessThan', set: undefined, ifExists: false, key: 'kms:RotationPeriodInDays', values: ['400'] },
      { operator: 'Bool', base: 'Bool', set: undefined, ifExists: false, key: 'kms:GrantIsForAWSResource', values: ['true'] },
    ]);
  });

  it('allows spaces in a key policy Sid (key-policy-overview.html)', () => {
    expect(parsePolicy(keyPolicyText({ ...base, Sid: 'Allow use of the key' })).ok).toBe(true);
  });

  it('allows Latin-1 characters and tabs in a key policy (key-policy-overview.html)', () => {
    const result = parsePolicy(`{\t"Statement": [{"Sid": "Clé", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}`);
    expect(result.ok).toBe(true);
  });

  it('accepts an identity policy without Principal', () => {
    const result = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }), { kind: 'identity-policy' });
    expect(okPolicy(result).kind).toBe('identity-policy');
  });

  it('matches condition operator names without regard to case', () => {
    const policy = okPolicy(parsePolicy(keyPolicyText({ ...base, Condition: { stringequals: { 'kms:CallerAccount': '111122223333' } } })));
    expect(policy.statements[0].conditions[0].base).toBe('StringEquals');
  });
});

describe('parsePolicy: JSON syntax errors carry line and column', () => {
  it.each([
    ['a missing comma', '{\n  "Version": "2012-10-17"\n  "Statement": []\n}', 3, 3, /expected "," or "}"/],
    ['a trailing comma', '{\n  "Statement": [\n    {"Effect": "Allow"},\n  ]\n}', 4, 3, /Trailing comma/],
    ['an unterminated string', '{\n  "Version": "2012-10-17\n}', 2, 14, /Unterminated string/],
    ['single quotes', "{'Version': '2012-10-17'}", 1, 2, /double quotes/],
    ['an empty document', '   ', 1, 4, /empty/],
    ['text after the document', '{"Statement": []} x', 1, 19, /after the end/],
    ['a bare word', '{"Effect": Allow}', 1, 12, /expected a JSON value/],
    ['an invalid escape', '{"Sid": "a\\qb"}', 1, 11, /Invalid escape/],
  ])('reports %s', (_what, text, line, column, message) => {
    const errors = errorsOf(parsePolicy(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line, column, path: '', code: 'json-syntax' });
    expect(errors[0].message).toMatch(message);
  });
});

describe('parsePolicy: grammar errors point at the offending key or value', () => {
  it('reports every error in one pass, not just the first', () => {
    const text = `{
  "Version": "2013-01-01",
  "Statment": [],
  "Statement": [
    {"Sid": "A", "Effect": "Permit", "Principal": {"AWS": "${ALICE}"}, "Action": "Decrypt", "Resource": "*"},
    {"Sid": "A", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "key"}
  ]
}`;
    const errors = errorsOf(parsePolicy(text));
    const second = '{"Sid": "A", "Effect": "Allow"';
    expect(errors.map((e) => ({ path: e.path, line: e.line, column: e.column }))).toEqual([
      { path: 'Statment', ...at(text, '"Statment"') },
      { path: 'Version', ...at(text, '"2013-01-01"') },
      { path: 'Statement[0].Effect', ...at(text, '"Permit"') },
      { path: 'Statement[0].Action', ...at(text, '"Decrypt"') },
      { path: 'Statement[1].Sid', ...at(text, '"A"', '"Resource": "*"},') },
      { path: 'Statement[1].Principal', ...at(text, second) },
      { path: 'Statement[1].Resource', ...at(text, '"key"') },
    ]);
  });

  it('requires a Principal in a key policy statement (key-policy-overview.html)', () => {
    const errors = errorsOf(parsePolicy(keyPolicyText({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })));
    expect(errors).toEqual([{ message: expect.stringMatching(/must have a Principal/), line: 4, column: 5, path: 'Statement[0].Principal', code: 'grammar' }]);
  });

  it('refuses a Principal in an identity policy (reference_policies_elements_principal.html)', () => {
    const text = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
    const errors = errorsOf(parsePolicy(text, { kind: 'identity-policy' }));
    expect(errors).toEqual([expect.objectContaining({ path: 'Statement[0].Principal', ...at(text, '"Principal"') })]);
  });

  it('refuses duplicate Sids and points at the second one', () => {
    const text = JSON.stringify({ Statement: [base, { ...base, Action: 'kms:Encrypt' }] }, null, 2);
    const errors = errorsOf(parsePolicy(text));
    expect(errors).toEqual([{ message: 'Duplicate Sid "Use": statement IDs must be unique within a policy.', ...at(text, '"Use"', '"Use"'), path: 'Statement[1].Sid', code: 'grammar' }]);
  });

  it('refuses a Sid with spaces in an IAM policy (reference_policies_elements_sid.html)', () => {
    const text = JSON.stringify({ Statement: [{ Sid: 'Allow use', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });
    expect(errorsOf(parsePolicy(text, { kind: 'identity-policy' }))[0].path).toBe('Statement[0].Sid');
  });

  it('refuses an unknown condition operator at the operator key', () => {
    const text = keyPolicyText({ ...base, Condition: { StringEqualz: { 'kms:CallerAccount': '111122223333' } } });
    expect(errorsOf(parsePolicy(text))).toEqual([{ message: 'Unknown condition operator "StringEqualz".', ...at(text, '"StringEqualz"'), path: 'Statement[0].Condition.StringEqualz', code: 'grammar' }]);
  });

  it('refuses NullIfExists: IfExists cannot be added to Null (reference_policies_elements_condition_operators.html)', () => {
    const errors = errorsOf(parsePolicy(keyPolicyText({ ...base, Condition: { NullIfExists: { 'aws:SourceIp': 'true' } } })));
    expect(errors[0].message).toMatch(/Unknown condition operator/);
  });

  it('refuses ForAllValues with kms:EncryptionContext:<key> in a key policy (conditions-kms.html, OverlyPermissiveCondition)', () => {
    const statement = { ...base, Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:Department': 'IT' } } };
    const errors = errorsOf(parsePolicy(keyPolicyText(statement)));
    expect(errors).toEqual([expect.objectContaining({ path: 'Statement[0].Condition["ForAllValues:StringEquals"]["kms:EncryptionContext:Department"]' })]);
    expect(errors[0].message).toMatch(/^OverlyPermissiveCondition/);
  });

  it.each([
    ['both Action and NotAction', { ...base, NotAction: 'kms:Encrypt' }, 'Statement[0].NotAction', /Action or NotAction, not both/],
    ['no Action', { Effect: 'Allow', Principal: '*', Resource: '*' }, 'Statement[0].Action', /no Action/],
    ['both Resource and NotResource', { ...base, NotResource: '*' }, 'Statement[0].NotResource', /not both/],
    ['both Principal and NotPrincipal', { ...base, NotPrincipal: { AWS: ALICE } }, 'Statement[0].NotPrincipal', /not both/],
    ['an Effect in lower case', { ...base, Effect: 'allow' }, 'Statement[0].Effect', /"Allow" or "Deny"/],
    ['an unknown statement element', { ...base, Actions: 'kms:Decrypt' }, 'Statement[0].Actions', /Unknown statement element/],
    ['a partial wildcard in a principal', { ...base, Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } }, 'Statement[0].Principal.AWS', /wildcard/],
    ['an unknown principal type', { ...base, Principal: { CanonicalUser: 'abc' } }, 'Statement[0].Principal.CanonicalUser', /Unknown principal type/],
    ['a principal that is not an account or ARN', { ...base, Principal: { AWS: 'alice' } }, 'Statement[0].Principal.AWS', /not an AWS principal/],
    ['an action with a bad name', { ...base, Action: ['kms:Decrypt', 'kms:De crypt'] }, 'Statement[0].Action[1]', /not valid/],
    ['an empty Action list', { ...base, Action: [] }, 'Statement[0].Action', /empty/],
    ['a condition value that is an object', { ...base, Condition: { StringEquals: { 'kms:CallerAccount': { a: 1 } } } }, 'Statement[0].Condition.StringEquals["kms:CallerAccount"]', /string, number or boolean/],
    ['a condition key without a prefix', { ...base, Condition: { StringEquals: { CallerAccount: '1' } } }, 'Statement[0].Condition.StringEquals.CallerAccount', /prefix/],
    ['a Condition that is not an object', { ...base, Condition: 'none' }, 'Statement[0].Condition', /must be an object/],
  ])('refuses %s', (_what, statement, path, message) => {
    const errors = errorsOf(parsePolicy(keyPolicyText(statement)));
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)!.message).toMatch(message);
  });

  it.each([
    ['a policy that is an array', '[]', /must be a JSON object/],
    ['no Statement', '{"Version": "2012-10-17"}', /no Statement/],
    ['an empty Statement list', '{"Statement": []}', /empty/],
    ['a statement that is a string', '{"Statement": ["x"]}', /must be a JSON object/],
    ['an Id that is a number', '{"Id": 1, "Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}}', /Id must be a string/],
  ])('refuses %s', (_what, text, message) => {
    expect(errorsOf(parsePolicy(text))[0].message).toMatch(message);
  });
});

describe('parsePolicy: key policy format limits (key-policy-overview.html)', () => {
  it(`refuses a key policy larger than ${MAX_KEY_POLICY_BYTES} bytes`, () => {
    const statement = JSON.stringify({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    const padding = ' '.repeat(MAX_KEY_POLICY_BYTES);
    const errors = errorsOf(parsePolicy(`{"Statement": [${statement}]}${padding}`));
    expect(errors).toEqual([{ message: expect.stringMatching(/limit is 32,768 bytes/), line: 1, column: 1, path: '', code: 'size-limit' }]);
  });

  it('accepts a key policy of exactly 32,768 bytes', () => {
    const doc = `{"Statement": [${JSON.stringify({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' })}]}`;
    expect(parsePolicy(doc + ' '.repeat(MAX_KEY_POLICY_BYTES - doc.length)).ok).toBe(true);
  });

  it('refuses characters outside printable ASCII and Latin-1, with their position', () => {
    const text = `{"Statement": [{"Sid": "ok",\n "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:EncryptionContext:team": "→"}}}]}`;
    const errors = errorsOf(parsePolicy(text));
    expect(errors).toEqual([{ message: expect.stringMatching(/U\+2192 is not allowed/), ...at(text, '→'), path: '', code: 'character' }]);
  });

  it('reports a character outside the Basic Multilingual Plane once, and caps the list', () => {
    const one = errorsOf(parsePolicy('{"Sid": "🔑"}'));
    expect(one.filter((e) => e.code === 'character')).toHaveLength(1);
    const many = errorsOf(parsePolicy(`{"Sid": "${'→'.repeat(25)}"}`)).filter((e) => e.code === 'character');
    expect(many).toHaveLength(11);
    expect(many[10].message).toBe('…and 15 more characters that are not allowed.');
  });

  it('does not apply the key policy character rules to identity policies', () => {
    const text = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:team': '→' } } }] });
    expect(parsePolicy(text, { kind: 'identity-policy' }).ok).toBe(true);
  });
});

describe('parsePolicy: warnings that do not block the policy', () => {
  it('warns that a key policy statement without Resource has no effect (key-policy-overview.html)', () => {
    const result = parsePolicy(keyPolicyText({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' }));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ path: 'Statement[0].Resource', line: 4, column: 5 })]);
  });

  it('requires Resource in an identity policy', () => {
    const text = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt' }] });
    expect(errorsOf(parsePolicy(text, { kind: 'identity-policy' }))[0].path).toBe('Statement[0].Resource');
  });

  it('warns about NotPrincipal with Allow (reference_policies_elements_notprincipal.html)', () => {
    const result = parsePolicy(keyPolicyText({ Effect: 'Allow', NotPrincipal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' }));
    expect(result.ok).toBe(true);
    expect(result.warnings[0].message).toMatch(/only with Deny/);
  });

  it('warns about values that can never match their operator', () => {
    const result = parsePolicy(
      keyPolicyText({
        ...base,
        Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'a year' }, IpAddress: { 'aws:SourceIp': '300.1.1.1' }, Bool: { 'aws:SecureTransport': 'yes' } },
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual([
      'Statement[0].Condition.NumericLessThan["kms:RotationPeriodInDays"]',
      'Statement[0].Condition.IpAddress["aws:SourceIp"]',
      'Statement[0].Condition.Bool["aws:SecureTransport"]',
    ]);
  });

  it('warns about a non-KMS action in a key policy and about duplicate keys', () => {
    const result = parsePolicy(`{"Statement": [{"Effect": "Allow", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}`);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/Duplicate key "Effect"/), expect.stringMatching(/not a KMS action/)]);
  });
});
