/** The unused-keys view as CSV: the clean-up list, then the pending deletions still called with their callers. Pure. */
import { toCsv } from '@/lib/format/csv';
import type { UnusedKeysReport } from './unused';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function unusedCsv(data: UnusedKeysReport): string {
  return toCsv(
    ['list', 'key_id', 'name', 'key_arn', 'state', 'created', 'monthly_usd', 'deletion_date', 'calls', 'last_call', 'callers'],
    [
      ...data.keys.map((k) => ['unused', k.id, k.name, k.arn, k.state, isoDay(k.createdAt), k.monthly.toFixed(2), '', '0', '', '']),
      ...data.pendingButCalled.map((k) => [
        'pending deletion (still called)',
        k.id,
        k.name,
        k.arn,
        'PendingDeletion',
        '',
        '',
        k.deletionAt ? isoDay(k.deletionAt) : '',
        String(k.calls),
        k.lastCall ? new Date(k.lastCall * 1000).toISOString() : '',
        k.callers.map((c) => `${c.name} (${c.calls})`).join('; '),
      ]),
    ],
  );
}
