'use client';
/** Tags: add, edit (value or key), remove — AWS's limits checked inline before the call. */
import { useGate } from '@/components/auth/user-context';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { editAvailability } from '@/lib/kms/key-availability';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { MAX_TAGS, TAG_KEY_MAX, TAG_VALUE_MAX, tagCountError, tagKeyError, tagValueError } from '@/lib/kms/key-limits';
import { Card, FieldError, Mono, None, Unavailable } from './parts';
import type { KeyDetailActions } from './types';

export function TagsPanel({ detail, actions }: { detail: KeyDetail; actions: Pick<KeyDetailActions, 'putTag' | 'removeTag'> }) {
  const can = useGate('operator', editAvailability(detail));
  const toast = useToast();
  const [editing, setEditing] = useState<string | null>(null);
  const entries = Object.entries(detail.row.tags).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="grid gap-4">
      <Card title="Tags" description={`${entries.length} of ${MAX_TAGS} tags. Tags help find keys and can control access (ABAC); they are not secret.`}>
        {entries.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">This key has no tags.</p>
        ) : (
          <Table aria-label="Tags">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Key</TableHeaderCell>
                <TableHeaderCell>Value</TableHeaderCell>
                <TableHeaderCell className="text-right">Actions</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {entries.map(([key, value]) =>
                editing === key ? (
                  <TableRow key={key}>
                    <TableCell colSpan={3} className="py-2">
                      <TagForm
                        existing={entries.map(([k]) => k)}
                        initial={{ key, value }}
                        action={actions.putTag}
                        onDone={() => setEditing(null)}
                        submitLabel="Save tag"
                      />
                    </TableCell>
                  </TableRow>
                ) : (
                  <TableRow key={key}>
                    <TableCell className="py-2">
                      <Mono>{key}</Mono>
                    </TableCell>
                    <TableCell className="py-2">{value === '' ? <None>(empty)</None> : <Mono>{value}</Mono>}</TableCell>
                    <TableCell className="py-2 text-right whitespace-nowrap">
                      <Button size="sm" variant="ghost" disabled={!can.allowed} aria-label={`Edit tag ${key}`} onClick={() => setEditing(key)}>
                        Edit
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        disabled={!can.allowed || actions.removeTag.isPending}
                        aria-label={`Remove tag ${key}`}
                        onClick={() => actions.removeTag.mutate({ key }, { onSuccess: () => toast({ tone: 'success', title: `Tag ${key} removed` }) })}
                      >
                        Remove
                      </Button>
                    </TableCell>
                  </TableRow>
                ),
              )}
            </TableBody>
          </Table>
        )}
        <Unavailable reason={can.reason} />
      </Card>
      {can.allowed && (
        <Card title="Add a tag">
          <TagForm existing={entries.map(([k]) => k)} action={actions.putTag} submitLabel="Add tag" />
        </Card>
      )}
    </div>
  );
}

function TagForm({
  existing,
  initial,
  action,
  onDone,
  submitLabel,
}: {
  existing: string[];
  initial?: { key: string; value: string };
  action: KeyDetailActions['putTag'];
  onDone?: () => void;
  submitLabel: string;
}) {
  const toast = useToast();
  const [key, setKey] = useState(initial?.key ?? '');
  const [value, setValue] = useState(initial?.value ?? '');
  const [errors, setErrors] = useState<{ key: string | null; value: string | null }>({ key: null, value: null });
  const ids = { key: useId(), value: useId(), keyError: useId(), valueError: useId() };

  const check = (k: string, v: string) => {
    const others = existing.filter((e) => e !== initial?.key);
    const keyProblem = tagKeyError(k) ?? (k !== initial?.key && others.includes(k) ? `This key already has a tag ${k}: edit it instead.` : null) ?? tagCountError(others, k);
    return { key: keyProblem, value: tagValueError(v) };
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const k = key.trim();
    const found = check(k, value);
    setErrors(found);
    if (found.key || found.value) return;
    action.mutate(
      { key: k, value, previousKey: initial && initial.key !== k ? initial.key : undefined },
      {
        onSuccess: () => {
          toast({ tone: 'success', title: initial ? `Tag ${k} saved` : `Tag ${k} added` });
          if (!initial) {
            setKey('');
            setValue('');
          }
          onDone?.();
        },
      },
    );
  };
  const touched = errors.key !== null || errors.value !== null;
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-2">
      <div className="min-w-48 flex-1">
        <label htmlFor={ids.key} className="text-sm font-medium">
          Tag key
        </label>
        <Input
          id={ids.key}
          className="mt-1 block w-full font-mono"
          value={key}
          maxLength={TAG_KEY_MAX + 50}
          spellCheck={false}
          onChange={(e) => {
            setKey(e.target.value);
            if (touched) setErrors(check(e.target.value.trim(), value));
          }}
          aria-invalid={errors.key ? true : undefined}
          aria-describedby={errors.key ? ids.keyError : undefined}
        />
        <FieldError id={ids.keyError} message={errors.key} />
      </div>
      <div className="min-w-48 flex-1">
        <label htmlFor={ids.value} className="text-sm font-medium">
          Tag value
        </label>
        <Input
          id={ids.value}
          className="mt-1 block w-full font-mono"
          value={value}
          maxLength={TAG_VALUE_MAX + 50}
          spellCheck={false}
          onChange={(e) => {
            setValue(e.target.value);
            if (touched) setErrors(check(key.trim(), e.target.value));
          }}
          aria-invalid={errors.value ? true : undefined}
          aria-describedby={errors.value ? ids.valueError : undefined}
        />
        <FieldError id={ids.valueError} message={errors.value} />
      </div>
      <div className="mt-6 flex gap-2">
        <Button type="submit" variant="primary" disabled={action.isPending}>
          {action.isPending ? 'Saving…' : submitLabel}
        </Button>
        {onDone && <Button onClick={onDone}>Cancel</Button>}
      </div>
    </form>
  );
}
