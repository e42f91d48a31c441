/** Small renderings of key fields, shared by the inventory table and the detail page. */
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { formatDay } from '@/lib/format/date';
import type { KeyRow } from '@/lib/kms/inventory-types';
import { STATE_LABELS, label } from '@/lib/kms/labels';

const STATE_TONES: Record<string, BadgeTone> = {
  Enabled: 'success',
  Disabled: 'neutral',
  PendingDeletion: 'danger',
  PendingReplicaDeletion: 'danger',
  PendingImport: 'warning',
  Unavailable: 'warning',
  Unknown: 'warning',
};

export function KeyStatusBadge({ row }: { row: Pick<KeyRow, 'state' | 'deletionAt'> }) {
  return (
    <Badge tone={STATE_TONES[row.state] ?? 'neutral'} title={row.deletionAt ? `Deleted on ${formatDay(row.deletionAt)}` : row.state}>
      {label(STATE_LABELS, row.state)}
    </Badge>
  );
}

export function RotationText({ row }: { row: Pick<KeyRow, 'rotation'> }) {
  const { rotation } = row;
  if (!rotation) return <span className="text-zinc-400 dark:text-zinc-500" title="Automatic rotation does not apply to this key">—</span>;
  if (!rotation.enabled) return <span className="text-zinc-600 dark:text-zinc-400">Off</span>;
  return (
    <span className="whitespace-nowrap">
      <span className="font-medium text-emerald-700 dark:text-emerald-400">On</span>
      {rotation.periodDays !== undefined && <span className="text-zinc-600 dark:text-zinc-400"> · {rotation.periodDays} d</span>}
      {rotation.nextAt !== undefined && <span className="block text-xs text-zinc-500 dark:text-zinc-400">next {formatDay(rotation.nextAt)}</span>}
    </span>
  );
}

export function TagList({ tags, max = 2 }: { tags: Record<string, string>; max?: number }) {
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  const shown = entries.slice(0, max);
  const all = entries.map(([k, v]) => `${k}=${v}`).join(', ');
  return (
    <span className="flex min-w-0 items-center gap-1" title={all}>
      {shown.map(([k, v]) => (
        <span key={k} className="truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {k}={v}
        </span>
      ))}
      {entries.length > max && <span className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">+{entries.length - max}</span>}
    </span>
  );
}
