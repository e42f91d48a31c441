'use client';
/** The audit view's filters: who, what, outcome, key and a time range (UTC), applied together. */
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { AuditQuery } from '@/lib/audit/query';

// datetime-local fields hold UTC here, like the table's times, so server and browser agree.
const toField = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');
const fromField = (value: FormDataEntryValue | null) => (typeof value === 'string' && value ? `${value}:00.000Z` : undefined);
const text = (value: FormDataEntryValue | null) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

export interface AuditFiltersProps {
  query: AuditQuery;
  actions: string[];
  onChange: (query: AuditQuery) => void;
}

const label = 'flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400';

export function AuditFilters({ query, actions, onChange }: AuditFiltersProps) {
  const choices = query.action && !actions.includes(query.action) ? [...actions, query.action] : actions;
  return (
    <form
      // A new query (back button, Clear) resets the uncontrolled fields.
      key={JSON.stringify(query)}
      aria-label="Filters"
      className="flex flex-wrap items-end gap-3 rounded-xl border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const outcome = text(data.get('outcome'));
        onChange({
          actor: text(data.get('actor')),
          action: text(data.get('action')),
          outcome: outcome === 'ok' || outcome === 'error' || outcome === 'denied' ? outcome : undefined,
          key: text(data.get('key')),
          from: fromField(data.get('from')),
          to: fromField(data.get('to')),
        });
      }}
    >
      <label className={label}>
        Actor
        <Input name="actor" defaultValue={query.actor ?? ''} placeholder="name, user id or anonymous" className="w-48" />
      </label>
      <label className={label}>
        Action
        <Select name="action" defaultValue={query.action ?? ''} className="w-48">
          <option value="">All actions</option>
          {choices.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      </label>
      <label className={label}>
        Outcome
        <Select name="outcome" defaultValue={query.outcome ?? ''} className="w-32">
          <option value="">Any</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
          <option value="denied">denied</option>
        </Select>
      </label>
      <label className={label}>
        Key
        <Input name="key" defaultValue={query.key ?? ''} placeholder="key id, ARN or alias" className="w-64" />
      </label>
      <label className={label}>
        From (UTC)
        <Input name="from" type="datetime-local" defaultValue={toField(query.from)} className="w-52" />
      </label>
      <label className={label}>
        To (UTC)
        <Input name="to" type="datetime-local" defaultValue={toField(query.to)} className="w-52" />
      </label>
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button variant="ghost" onClick={() => onChange({})}>
          Clear
        </Button>
      </div>
    </form>
  );
}
