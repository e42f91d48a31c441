/** Search, filters, refresh and export for the inventory; every control is labelled. */
import { Download, RefreshCw, Search, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { FilterOptions } from '@/lib/kms/inventory-summary';
import type { InventoryView } from '@/lib/kms/inventory-view';
import { ORIGIN_LABELS, STATE_LABELS, USAGE_LABELS, label } from '@/lib/kms/labels';

export interface InventoryToolbarProps {
  view: InventoryView;
  search: string;
  onSearchChange: (q: string) => void;
  onViewChange: (change: Partial<InventoryView>) => void;
  options: FilterOptions;
}

interface FilterSelectProps {
  label: string;
  value: string;
  values: string[];
  labels?: Record<string, string>;
  onChange: (value: string) => void;
  width?: string;
}

function FilterSelect({ label: text, value, values, labels, onChange, width = 'w-32' }: FilterSelectProps) {
  // Keep a value from a shared URL selectable even when no key has it (yet).
  const all = value && !values.includes(value) ? [...values, value] : values;
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {text}
      <Select value={value} onChange={(event) => onChange(event.target.value)} className={cn('font-normal', width)}>
        <option value="">Any</option>
        {all.map((v) => (
          <option key={v} value={v}>
            {labels ? label(labels, v) : v}
          </option>
        ))}
      </Select>
    </label>
  );
}

export function InventoryToolbar({ view, search, onSearchChange, onViewChange, options }: InventoryToolbarProps) {
  const filtered = Boolean(search || view.status || view.spec || view.usage || view.origin || view.rotation || view.tag);
  return (
    <div role="search" className="flex flex-wrap items-end gap-2 px-6 pb-3">
      <label className="flex min-w-40 flex-1 flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Search keys
        <span className="relative">
          <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" />
          <Input type="search" value={search} onChange={(event) => onSearchChange(event.target.value)} placeholder="Alias, ID or tag" className="w-full pl-8 font-normal" />
        </span>
      </label>
      <FilterSelect label="Status" value={view.status} values={options.statuses} labels={STATE_LABELS} onChange={(status) => onViewChange({ status })} />
      <FilterSelect label="Key spec" value={view.spec} values={options.specs} onChange={(spec) => onViewChange({ spec })} width="w-36" />
      <FilterSelect label="Usage" value={view.usage} values={options.usages} labels={USAGE_LABELS} onChange={(usage) => onViewChange({ usage })} width="w-36" />
      <FilterSelect label="Origin" value={view.origin} values={options.origins} labels={ORIGIN_LABELS} onChange={(origin) => onViewChange({ origin })} width="w-28" />
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Rotation
        <Select value={view.rotation} onChange={(event) => onViewChange({ rotation: event.target.value as InventoryView['rotation'] })} className="w-32 font-normal">
          <option value="">Any</option>
          <option value="on">On</option>
          <option value="off">Off</option>
          <option value="na">Not applicable</option>
        </Select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Tag
        <Input list="inventory-tags" value={view.tag} onChange={(event) => onViewChange({ tag: event.target.value })} placeholder="key=value" className="w-32 font-normal" />
        <datalist id="inventory-tags">
          {options.tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      </label>
      {filtered && (
        <Button
          variant="ghost"
          onClick={() => {
            onSearchChange('');
            onViewChange({ q: '', status: '', spec: '', usage: '', origin: '', rotation: '', tag: '' });
          }}
        >
          <X aria-hidden="true" /> Clear filters
        </Button>
      )}
    </div>
  );
}

export function InventoryActions({ refreshing, onRefresh, onExport, exportDisabled }: { refreshing: boolean; onRefresh: () => void; onExport: () => void; exportDisabled: boolean }) {
  return (
    <>
      <Button onClick={onRefresh} disabled={refreshing} aria-busy={refreshing}>
        <RefreshCw aria-hidden="true" className={cn(refreshing && 'animate-spin')} />
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </Button>
      <Button onClick={onExport} disabled={exportDisabled}>
        <Download aria-hidden="true" />
        Export CSV
      </Button>
    </>
  );
}
