import { describe, expect, it } from 'vitest';
import { auditParams, parseAuditQuery, toAuditFilter } from './query';

const from = (qs: string) => {
  const params = new URLSearchParams(qs);
  return parseAuditQuery((n) => params.get(n));
};

describe('the audit view in the URL', () => {
  it('round-trips the filters through the URL and turns times into epoch milliseconds', () => {
    const query = from('actor=Alice&action=PutKeyPolicy&outcome=denied&key=k-1&from=2026-11-23T10:00:00.000Z&to=2026-11-23T11:00:00.000Z');
    expect(from(auditParams(query))).toEqual(query);
    expect(toAuditFilter(query)).toEqual({ actor: 'Alice', action: 'PutKeyPolicy', outcome: 'denied', key: 'k-1', from: Date.UTC(2026, 10, 23, 10), to: Date.UTC(2026, 10, 23, 11) });
  });

  it('drops unknown outcomes, unparsable times and empty values', () => {
    expect(from('outcome=maybe&from=yesterday&actor=%20&key=k')).toEqual({ key: 'k' });
    expect(auditParams({}, { before: '12' })).toBe('before=12');
  });
});
