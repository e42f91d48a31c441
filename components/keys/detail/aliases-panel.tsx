'use client';
/** Aliases: add, rename (new name, then the old one deleted), move to another key (UpdateAlias), delete — each name checked before the call. */
import { useGate } from '@/components/auth/user-context';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { editAvailability } from '@/lib/kms/key-availability';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { aliasNameError } from '@/lib/kms/key-limits';
import { Card, FieldError, Mono, Unavailable } from './parts';
import type { KeyDetailActions } from './types';

type Mode = { alias: string; kind: 'rename' | 'move' | 'delete' } | null;

/** A key an alias can move to: same key spec and usage (UpdateAlias requires it). */
export interface AliasTarget {
  id: string;
  label: string;
}

export function AliasesPanel({
  detail,
  actions,
  targets,
}: {
  detail: KeyDetail;
  actions: Pick<KeyDetailActions, 'createAlias' | 'renameAlias' | 'retargetAlias' | 'deleteAlias'>;
  /** Keys of the same spec and usage in this region, offered as suggestions when moving an alias. */
  targets: AliasTarget[];
}) {
  const can = useGate('operator', editAvailability(detail));
  const [mode, setMode] = useState<Mode>(null);
  const aliases = detail.row.aliases;
  return (
    <div className="grid gap-4">
      <Card title="Aliases" description="Friendly names for this key. Applications that call KMS with an alias follow it when it moves to another key.">
        {aliases.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">This key has no aliases.</p>
        ) : (
          <Table aria-label="Aliases">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Alias</TableHeaderCell>
                <TableHeaderCell className="text-right">Actions</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {aliases.map((alias) => (
                <TableRow key={alias}>
                  <TableCell className="py-2 align-top">
                    <span className="inline-flex min-h-8 items-center">
                      <Mono>{alias}</Mono>
                    </span>
                    {mode?.alias === alias && <AliasEditor key={mode.kind} mode={mode} detail={detail} actions={actions} targets={targets} onDone={() => setMode(null)} />}
                  </TableCell>
                  <TableCell className="py-2 text-right align-top whitespace-nowrap">
                    <div className="flex justify-end gap-1">
                      <Button size="sm" variant="ghost" disabled={!can.allowed} aria-label={`Rename ${alias}`} onClick={() => setMode({ alias, kind: 'rename' })}>
                        Rename
                      </Button>
                      <Button size="sm" variant="ghost" disabled={!can.allowed} aria-label={`Move ${alias} to another key`} onClick={() => setMode({ alias, kind: 'move' })}>
                        Move
                      </Button>
                      <Button size="sm" variant="ghost" disabled={!can.allowed} aria-label={`Delete ${alias}`} onClick={() => setMode({ alias, kind: 'delete' })}>
                        Delete
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Unavailable reason={can.reason} />
      </Card>
      {can.allowed && <AddAlias action={actions.createAlias} />}
    </div>
  );
}

function AddAlias({ action }: { action: KeyDetailActions['createAlias'] }) {
  const toast = useToast();
  const [name, setName] = useState('alias/');
  const [error, setError] = useState<string | null>(null);
  const ids = { field: useId(), error: useId(), hint: useId() };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const problem = aliasNameError(name.trim());
    setError(problem);
    if (problem) return;
    action.mutate(
      { aliasName: name.trim() },
      {
        onSuccess: () => {
          toast({ tone: 'success', title: `Alias ${name.trim()} added` });
          setName('alias/');
        },
      },
    );
  };
  return (
    <Card title="Add an alias">
      <form onSubmit={submit} className="flex flex-wrap items-start gap-2" noValidate>
        <div className="min-w-64 flex-1">
          <label htmlFor={ids.field} className="text-sm font-medium">
            New alias
          </label>
          <Input
            id={ids.field}
            className="mt-1 block w-full font-mono"
            value={name}
            spellCheck={false}
            onChange={(e) => {
              setName(e.target.value);
              if (error) setError(aliasNameError(e.target.value.trim()));
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${ids.hint}${error ? ` ${ids.error}` : ''}`}
          />
          <p id={ids.hint} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            alias/ followed by 1–250 letters, digits, / _ or -; alias/aws/ is reserved.
          </p>
          <FieldError id={ids.error} message={error} />
        </div>
        <Button type="submit" variant="primary" className="mt-6" disabled={action.isPending}>
          {action.isPending ? 'Adding…' : 'Add alias'}
        </Button>
      </form>
    </Card>
  );
}

function AliasEditor({
  mode,
  detail,
  actions,
  targets,
  onDone,
}: {
  mode: NonNullable<Mode>;
  detail: KeyDetail;
  actions: Pick<KeyDetailActions, 'renameAlias' | 'retargetAlias' | 'deleteAlias'>;
  targets: AliasTarget[];
  onDone: () => void;
}) {
  const toast = useToast();
  const [value, setValue] = useState(mode.kind === 'rename' ? mode.alias : '');
  const [error, setError] = useState<string | null>(null);
  const ids = { field: useId(), error: useId(), list: useId() };

  if (mode.kind === 'delete') {
    return (
      <div className="mt-2 grid gap-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
        <p>Delete {mode.alias}? Applications that call KMS with this alias will fail with NotFoundException. The key itself is not affected.</p>
        <div className="flex gap-2">
          <Button
            size="sm"
            variant="danger"
            disabled={actions.deleteAlias.isPending}
            onClick={() =>
              actions.deleteAlias.mutate(
                { aliasName: mode.alias },
                {
                  onSuccess: () => {
                    toast({ tone: 'success', title: `Alias ${mode.alias} deleted` });
                    onDone();
                  },
                },
              )
            }
          >
            Confirm delete
          </Button>
          <Button size="sm" onClick={onDone}>
            Keep it
          </Button>
        </div>
      </div>
    );
  }

  const rename = mode.kind === 'rename';
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const v = value.trim();
    const problem = rename ? (v === mode.alias ? 'Enter a different name.' : aliasNameError(v)) : v === '' ? 'Enter the key ID or key ARN of the target key.' : v === detail.row.id || v === detail.arn ? 'The alias already points to this key.' : null;
    setError(problem);
    if (problem) return;
    const done = (title: string) => () => {
      toast({ tone: 'success', title });
      onDone();
    };
    if (rename) actions.renameAlias.mutate({ from: mode.alias, to: v }, { onSuccess: done(`Alias renamed to ${v}`) });
    else actions.retargetAlias.mutate({ aliasName: mode.alias, keyId: v }, { onSuccess: done(`${mode.alias} moved to ${v}`) });
  };
  const pending = rename ? actions.renameAlias.isPending : actions.retargetAlias.isPending;
  return (
    <form onSubmit={submit} noValidate className="mt-2 grid gap-1">
      <label htmlFor={ids.field} className="text-sm font-medium">
        {rename ? `New name for ${mode.alias}` : `Key to move ${mode.alias} to (key ID or ARN)`}
      </label>
      {!rename && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          The target must have the same key spec and usage as this key{targets.length > 0 ? `; ${targets.length} in this region do, suggested as you type` : ''}.
        </p>
      )}
      {!rename && (
        <datalist id={ids.list}>
          {targets.map((t) => (
            <option key={t.id} value={t.id} label={t.label} />
          ))}
        </datalist>
      )}
      <div className="flex flex-wrap gap-2">
        <Input
          id={ids.field}
          className="min-w-64 flex-1 font-mono"
          value={value}
          spellCheck={false}
          autoFocus
          list={rename ? undefined : ids.list}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? ids.error : undefined}
        />
        <Button type="submit" size="md" variant="primary" disabled={pending}>
          {rename ? 'Rename' : 'Move alias'}
        </Button>
        <Button size="md" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <FieldError id={ids.error} message={error} />
    </form>
  );
}
