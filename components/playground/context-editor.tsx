'use client';
/** An encryption context as editable key/value rows. */
import { Plus, X } from 'lucide-react';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

export interface ContextRow {
  key: string;
  value: string;
}

export function ContextEditor({ label, rows, onChange }: { label: string; rows: ContextRow[]; onChange: (rows: ContextRow[]) => void }) {
  const id = useId();
  const set = (i: number, patch: Partial<ContextRow>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  return (
    <fieldset className="grid gap-1.5">
      <legend className="mb-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">{label}</legend>
      {rows.map((row, i) => (
        <div key={i} className="flex items-center gap-1.5">
          <Input id={`${id}-k${i}`} aria-label={`${label} key ${i + 1}`} placeholder="key" value={row.key} onChange={(e) => set(i, { key: e.target.value })} className="w-36 font-mono text-xs" />
          <span aria-hidden="true" className="text-zinc-500">
            =
          </span>
          <Input aria-label={`${label} value ${i + 1}`} placeholder="value" value={row.value} onChange={(e) => set(i, { value: e.target.value })} className="min-w-0 flex-1 font-mono text-xs" />
          <Button size="icon" variant="ghost" aria-label={`Remove ${label.toLowerCase()} pair ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            <X aria-hidden="true" />
          </Button>
        </div>
      ))}
      <div>
        <Button size="sm" variant="ghost" onClick={() => onChange([...rows, { key: '', value: '' }])}>
          <Plus aria-hidden="true" /> Add a pair to the {label.toLowerCase()}
        </Button>
      </div>
    </fieldset>
  );
}
