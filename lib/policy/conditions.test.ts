/**
 * Condition operators in isolation. Sources:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import { describe, expect, it } from 'vitest';
import { evaluateClause, ipInCidr, parseCidr, parseOperator, substituteVariables } from './conditions';
import type { ConditionClause, ContextValue } from './types';

function clause(operator: string, key: string, values: string | string[]): ConditionClause {
  const parsed = parseOperator(operator);
  if (!parsed) throw new Error(`not an operator: ${operator}`);
  return { operator, ...parsed, key, values: Array.isArray(values) ? values : [values], location: { line: 1, column: 1 } };
}

function check(operator: string, key: string, values: string | string[], context: Record<string, ContextValue>, variables = true): boolean {
  const map = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return evaluateClause(clause(operator, key, values), map, variables);
}

describe('parseOperator', () => {
  it.each([
    ['StringEquals', { base: 'StringEquals', set: undefined, ifExists: false }],
    ['ForAllValues:StringLike', { base: 'StringLike', set: 'ForAllValues', ifExists: false }],
    ['ForAnyValue:ArnLikeIfExists', { base: 'ArnLike', set: 'ForAnyValue', ifExists: true }],
    ['Null', { base: 'Null', set: undefined, ifExists: false }],
  ])('reads %s', (name, expected) => {
    expect(parseOperator(name)).toEqual(expected);
  });

  it.each(['StringEqual', 'NullIfExists', 'ForSomeValues:StringEquals', 'IfExists', ''])('refuses %j', (name) => {
    expect(parseOperator(name)).toBeUndefined();
  });
});

describe('missing keys', () => {
  it('a positive operator on a missing key is false', () => {
    expect(check('StringEquals', 'aws:PrincipalTag/team', 'blue', {})).toBe(false);
  });

  it.each(['StringNotEquals', 'StringNotLike', 'ArnNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'StringNotEqualsIgnoreCase', 'ArnNotEquals'])(
    '%s on a missing key is true',
    (op) => {
      expect(check(op, 'aws:SourceIp', '203.0.113.0/24', {})).toBe(true);
    },
  );

  it('…IfExists on a missing key is true, whatever the operator', () => {
    expect(check('StringLikeIfExists', 'ec2:InstanceType', 't2.*', {})).toBe(true);
    expect(check('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', {})).toBe(true);
  });

  it('ForAllValues on a missing or empty key is true; ForAnyValue is false', () => {
    expect(check('ForAllValues:StringEquals', 'aws:TagKeys', 'a', {})).toBe(true);
    expect(check('ForAllValues:StringEquals', 'aws:TagKeys', 'a', { 'aws:TagKeys': [] })).toBe(true);
    expect(check('ForAnyValue:StringEquals', 'aws:TagKeys', 'a', {})).toBe(false);
    expect(check('ForAnyValue:StringNotEquals', 'aws:TagKeys', 'a', {})).toBe(false);
  });

  it('Null is true for an absent key when the value is true, and for a present key when false', () => {
    expect(check('Null', 'aws:TokenIssueTime', 'true', {})).toBe(true);
    expect(check('Null', 'aws:TokenIssueTime', 'true', { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' })).toBe(false);
    expect(check('Null', 'aws:TokenIssueTime', 'false', { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' })).toBe(true);
    expect(check('Null', 'kms:EncryptionContextKeys', 'false', { 'kms:EncryptionContextKeys': [] })).toBe(false);
  });

  it('looks keys up without regard to case (reference_policies_elements_condition.html)', () => {
    expect(check('StringEquals', 'AWS:SourceVpc', 'vpc-1', { 'aws:sourcevpc': 'vpc-1' })).toBe(true);
  });
});

describe('several values', () => {
  it('values of one key are ORed', () => {
    expect(check('StringEquals', 'kms:ViaService', ['ec2.us-east-1.amazonaws.com', 'rds.us-east-1.amazonaws.com'], { 'kms:ViaService': 'rds.us-east-1.amazonaws.com' })).toBe(true);
  });

  it('values of a negated operator are NORed', () => {
    const values = ['audit', 'security'];
    expect(check('StringNotEquals', 'aws:PrincipalTag/role', values, { 'aws:PrincipalTag/role': 'audit' })).toBe(false);
    expect(check('StringNotEquals', 'aws:PrincipalTag/role', values, { 'aws:PrincipalTag/role': 'dev' })).toBe(true);
  });

  // The table in reference_policies_condition_examples-multi-valued-context-keys.html ("Deny policy with ForAllValues").
  it.each([
    [['key1:legal'], false],
    [['key1:hr', 'key1:personnel'], false],
    [['key2:audit'], true],
    [undefined, true],
  ])('ForAllValues:StringNotLike "key1*" with aws:TagKeys %j matches: %s', (tagKeys, matches) => {
    expect(check('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', tagKeys ? { 'aws:TagKeys': tagKeys } : {})).toBe(matches);
  });

  it('ForAnyValue needs one request value to match one policy value', () => {
    expect(check('ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['x', 'b'] })).toBe(true);
    expect(check('ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['x', 'y'] })).toBe(false);
  });

  it('ForAllValues needs every request value to match some policy value', () => {
    expect(check('ForAllValues:StringLike', 'aws:TagKeys', 'Created*', { 'aws:TagKeys': ['CreatedBy', 'CreatedAt'] })).toBe(true);
    expect(check('ForAllValues:StringLike', 'aws:TagKeys', 'Created*', { 'aws:TagKeys': ['CreatedBy', 'Owner'] })).toBe(false);
  });
});

describe('operator families', () => {
  it('String operators compare case-sensitively unless IgnoreCase', () => {
    expect(check('StringEquals', 'aws:username', 'johndoe', { 'aws:username': 'JohnDoe' })).toBe(false);
    expect(check('StringEqualsIgnoreCase', 'aws:username', 'johndoe', { 'aws:username': 'JohnDoe' })).toBe(true);
    expect(check('StringNotEqualsIgnoreCase', 'aws:username', 'johndoe', { 'aws:username': 'JohnDoe' })).toBe(false);
  });

  it('StringLike treats * and ? as wildcards and everything else literally', () => {
    expect(check('StringLike', 'kms:RequestAlias', 'alias/app-?', { 'kms:RequestAlias': 'alias/app-1' })).toBe(true);
    expect(check('StringLike', 'kms:RequestAlias', 'alias/app-?', { 'kms:RequestAlias': 'alias/app-12' })).toBe(false);
    expect(check('StringLike', 'kms:RequestAlias', 'alias/a.b', { 'kms:RequestAlias': 'alias/axb' })).toBe(false);
  });

  it('Numeric operators compare numbers given as numbers or text', () => {
    expect(check('NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '10' })).toBe(true);
    expect(check('NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': 10 })).toBe(false);
    expect(check('NumericGreaterThan', 'kms:RotationPeriodInDays', '90', { 'kms:RotationPeriodInDays': 365 })).toBe(true);
    expect(check('NumericEquals', 'kms:RotationPeriodInDays', '365.0', { 'kms:RotationPeriodInDays': 365 })).toBe(true);
    expect(check('NumericEquals', 'kms:RotationPeriodInDays', 'many', { 'kms:RotationPeriodInDays': 365 })).toBe(false);
  });

  it('Date operators accept ISO 8601 and epoch seconds on either side', () => {
    expect(check('DateEquals', 'aws:CurrentTime', '0', { 'aws:CurrentTime': new Date('1970-01-01T00:00:00Z') })).toBe(true);
    expect(check('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', { 'aws:TokenIssueTime': '2020-06-01T00:00:00Z' })).toBe(true);
    expect(check('DateLessThanEquals', 'aws:EpochTime', '2026-01-01T00:00:00Z', { 'aws:EpochTime': 1767225600 })).toBe(true);
    expect(check('DateLessThan', 'aws:CurrentTime', 'tomorrow', { 'aws:CurrentTime': new Date() })).toBe(false);
  });

  it('Bool compares true and false without regard to case', () => {
    expect(check('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'FALSE' })).toBe(true);
    expect(check('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': false })).toBe(false);
    expect(check('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'yes' })).toBe(false);
  });

  it('BinaryEquals compares the base64 text', () => {
    expect(check('BinaryEquals', 'key', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' })).toBe(true);
  });

  it('ArnLike matches each of the six ARN parts separately, unlike StringLike', () => {
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    const value = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    expect(check('StringLike', 'aws:SourceArn', pattern, { 'aws:SourceArn': value })).toBe(true);
    expect(check('ArnLike', 'aws:SourceArn', pattern, { 'aws:SourceArn': value })).toBe(false);
    expect(check('ArnEquals', 'aws:SourceArn', pattern, { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:111122223333:finance/q1.txt' })).toBe(true);
    expect(check('ArnNotLike', 'aws:SourceArn', pattern, { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:111122223333:finance/q1.txt' })).toBe(false);
  });
});

describe('IP addresses', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24', true],
    ['203.0.114.7', '203.0.113.0/24', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.8', '203.0.113.7', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['2001:db8:1234:5678::1', '2001:DB8:1234:5678::/64', true],
    ['2001:db8:1234:5679::1', '2001:DB8:1234:5678::/64', false],
    ['::1', '::1/128', true],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.0/120', true],
    ['2001:db8::1', '0.0.0.0/0', false],
    ['not-an-ip', '0.0.0.0/0', false],
  ])('%s in %s: %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });

  it.each(['256.0.0.1/32', '1.2.3.4/33', '1.2.3/24', '2001:db8::1::2/64', '1.2.3.4/24/1', 'fe80::/129'])('refuses the CIDR %s', (cidr) => {
    expect(parseCidr(cidr)).toBeUndefined();
  });
});

describe('policy variables', () => {
  const context = new Map<string, ContextValue>([
    ['aws:username', 'alice'],
    ['aws:tagkeys', ['a', 'b']],
  ]);

  it('substitutes a variable, a default value, and the ${*} ${?} ${$} escapes', () => {
    expect(substituteVariables('home/${aws:username}/*', { enabled: true, context })).toBe('home/alice/*');
    expect(substituteVariables("${aws:PrincipalTag/team, 'none'}", { enabled: true, context })).toBe('none');
    expect(substituteVariables('a${*}b${?}c${$}', { enabled: true, context })).toBe('a*b?c$');
  });

  it('leaves the text alone when variables are disabled (Version 2008-10-17)', () => {
    expect(substituteVariables('${aws:username}', { enabled: false, context })).toBe('${aws:username}');
  });

  it('makes a value with an unknown or multi-valued variable match nothing', () => {
    expect(substituteVariables('${aws:PrincipalTag/team}', { enabled: true, context })).toBeUndefined();
    expect(substituteVariables('${aws:TagKeys}', { enabled: true, context })).toBeUndefined();
    expect(check('StringEquals', 'kms:EncryptionContext:team', '${aws:PrincipalTag/team}', { 'kms:EncryptionContext:team': '' })).toBe(false);
  });

  it('substitutes in string operators but not in numeric ones', () => {
    const ctx = { 'aws:username': 'alice', 'kms:EncryptionContext:user': 'alice', 'aws:PrincipalTag/limit': '5', 's3:max-keys': 5 };
    expect(check('StringEquals', 'kms:EncryptionContext:user', '${aws:username}', ctx)).toBe(true);
    expect(check('NumericEquals', 's3:max-keys', '${aws:PrincipalTag/limit}', ctx)).toBe(false);
  });
});
