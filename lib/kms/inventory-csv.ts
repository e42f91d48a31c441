/** The inventory view as CSV, one row per key, columns as the table shows them. */
import { toCsv } from '@/lib/format/csv';
import { formatDay } from '@/lib/format/date';
import type { KeyRow } from './inventory-types';
import { rotationLabel } from './inventory-view';

const HEADER = ['Aliases', 'Key ID', 'Description', 'Status', 'Type', 'Key spec', 'Key usage', 'Origin', 'Multi-Region', 'Rotation', 'Rotation period (days)', 'Next rotation', 'Created', 'Deletion date', 'Tags'];

export function inventoryCsv(rows: readonly KeyRow[]): string {
  return toCsv(
    HEADER,
    rows.map((row) => [
      row.aliases.join(' '),
      row.id,
      row.description,
      row.state,
      row.type,
      row.spec,
      row.usage,
      row.origin,
      row.multiRegion ?? 'No',
      { on: 'On', off: 'Off', na: 'N/A' }[rotationLabel(row)],
      row.rotation?.periodDays?.toString() ?? '',
      row.rotation?.nextAt ? formatDay(row.rotation.nextAt) : '',
      formatDay(row.createdAt),
      row.deletionAt ? formatDay(row.deletionAt) : '',
      Object.entries(row.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    ]),
  );
}
