import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '@/lib/format/csv';
import { inventoryCsv } from './inventory-csv';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\nbreak', 'plain']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",plain\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell('alias/ok')).toBe('alias/ok');
  });

  it('writes one line per key with the table’s columns', () => {
    const csv = inventoryCsv([
      {
        id: 'k1',
        aliases: ['alias/a', 'alias/b'],
        description: 'Cards, PCI',
        state: 'Enabled',
        manager: 'CUSTOMER',
        type: 'Symmetric',
        spec: 'SYMMETRIC_DEFAULT',
        usage: 'ENCRYPT_DECRYPT',
        origin: 'AWS_KMS',
        multiRegion: null,
        rotation: { enabled: true, periodDays: 90, nextAt: Date.UTC(2027, 1, 3) },
        createdAt: Date.UTC(2026, 10, 23),
        tags: { team: 'payments', env: 'prod' },
      },
    ]);
    const [header, line] = csv.trimEnd().split('\r\n');
    expect(header.split(',')).toContain('Key ID');
    expect(line).toBe('alias/a alias/b,k1,"Cards, PCI",Enabled,Symmetric,SYMMETRIC_DEFAULT,ENCRYPT_DECRYPT,AWS_KMS,No,On,90,2027-02-03,2026-11-23,,team=payments; env=prod');
  });
});
