/** The position-keeping JSON parser: same values as JSON.parse, plus where each key and value starts. */
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJson, type JsonNode } from './json';

/** Converts a node back to a plain value, to compare with JSON.parse. */
function plain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return node.items.map(plain);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

describe('parseJson', () => {
  it.each([
    '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n\\"\\\\\\/"], "b": {}}',
    '[]',
    '"just a string"',
    '0',
    '{"nested": {"deeper": [[[{"k": "v"}]]]}}',
  ])('reads %s like JSON.parse', (text) => {
    expect(plain(parseJson(text))).toEqual(JSON.parse(text));
  });

  it('records the line and column of keys and values, counting CRLF as one line break', () => {
    const root = parseJson('{\r\n  "Version": "2012-10-17",\r\n  "Statement": [\r\n    {"Effect": "Allow"}\r\n  ]\r\n}');
    if (root.kind !== 'object') throw new Error('expected an object');
    const [version, statement] = root.entries;
    expect(version.keyPos).toMatchObject({ line: 2, column: 3 });
    expect(version.value.pos).toMatchObject({ line: 2, column: 14 });
    if (statement.value.kind !== 'array') throw new Error('expected an array');
    expect(statement.value.items[0].pos).toMatchObject({ line: 4, column: 5 });
  });

  it.each([
    ['01', /Invalid number/],
    ['-', /Invalid number/],
    ['1.', /Invalid number/],
    ['{"a" 1}', /expected ":"/],
    ['{"a": 1,}', /Trailing comma/],
    ['[1 2]', /expected "," or "]"/],
    ['"tab\there"', /Control character U\+0009/],
    ['"\\u12G4"', /Invalid \\u escape/],
  ])('refuses %j', (text, message) => {
    expect(() => parseJson(text)).toThrow(message);
  });

  it('refuses nesting deep enough to threaten the stack', () => {
    const text = '['.repeat(100) + ']'.repeat(100);
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
  });
});
