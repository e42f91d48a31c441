import { describe, expect, it } from 'vitest';
import { toJson } from './protocol';

describe('JSON 1.1 serialization', () => {
  it('writes blobs as base64, dates as epoch seconds, and leaves out undefined members', () => {
    const out = toJson({
      Blob: new Uint8Array([0, 1, 2, 250]),
      Slice: Buffer.from('xxhixx').subarray(2, 4),
      When: new Date('2026-01-02T03:04:05.250Z'),
      Missing: undefined,
      Text: 'quote " and ünïcode \u2028',
      List: [{ A: 1, B: undefined }, true, null],
    });
    expect(JSON.parse(out)).toEqual({
      Blob: 'AAEC+g==',
      Slice: 'aGk=',
      When: Date.parse('2026-01-02T03:04:05.250Z') / 1000,
      Text: 'quote " and ünïcode \u2028',
      List: [{ A: 1 }, true, null],
    });
    expect(out).not.toContain('Missing');
  });

  it('matches JSON.stringify for plain JSON values', () => {
    const value = { a: [1, 2.5, -3e-7, 'x'], b: { c: false, d: '' }, e: {} };
    expect(toJson(value)).toBe(JSON.stringify(value));
  });
});
