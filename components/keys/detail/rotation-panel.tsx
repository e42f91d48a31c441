'use client';
/**
 * Key rotation: automatic rotation with its period and next date, "Rotate now" with the on-demand quota,
 * the rotation history (paged), or — for keys KMS cannot rotate — the guided manual rotation.
 */
import { useGate } from '@/components/auth/user-context';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format/date';
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';
import { rotationChangeAvailability, rotationKind } from '@/lib/kms/key-availability';
import type { KeyDetail, RotationEntry } from '@/lib/kms/key-detail-types';
import { ON_DEMAND_ROTATION_LIMIT, ROTATION_PERIOD, rotationPeriodError } from '@/lib/kms/key-limits';
import { ManualRotation } from './manual-rotation';
import { Card, Field, FieldError, Fields, Mono, None, Notice, Unavailable } from './parts';
import type { KeyDetailActions } from './types';

export interface RotationHistory {
  rotations: RotationEntry[] | undefined;
  onDemandUsed: number | undefined;
  error: KmsErrorInfo | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}

export function RotationPanel({
  detail,
  history,
  actions,
  keyHref,
}: {
  detail: KeyDetail;
  history: RotationHistory;
  actions: Pick<KeyDetailActions, 'setRotation' | 'rotateNow' | 'createReplacement' | 'retargetAlias'>;
  keyHref: (keyId: string) => string;
}) {
  const kind = rotationKind(detail);
  if (kind.kind === 'manual') return <ManualRotation detail={detail} reason={kind.reason!} actions={actions} keyHref={keyHref} />;
  if (kind.kind === 'none') {
    return (
      <Card title="Key rotation">
        <p className="text-sm">{kind.reason}</p>
      </Card>
    );
  }
  return (
    <div className="grid gap-4">
      <AutomaticRotation detail={detail} action={actions.setRotation} />
      <RotateNow detail={detail} used={history.onDemandUsed} action={actions.rotateNow} />
      <HistoryTable history={history} />
    </div>
  );
}

function AutomaticRotation({ detail, action }: { detail: KeyDetail; action: KeyDetailActions['setRotation'] }) {
  const toast = useToast();
  const rotation = detail.row.rotation;
  const can = useGate('operator', rotationChangeAvailability(detail));
  const [enabled, setEnabled] = useState(rotation?.enabled ?? false);
  const [period, setPeriod] = useState(String(rotation?.periodDays ?? ROTATION_PERIOD.default));
  const [submitted, setSubmitted] = useState(false);
  const ids = { toggle: useId(), period: useId(), error: useId(), hint: useId(), why: useId() };
  const periodError = enabled ? rotationPeriodError(period) : null;
  const changed = enabled !== (rotation?.enabled ?? false) || (enabled && Number(period) !== rotation?.periodDays);

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (periodError) return;
    action.mutate(enabled ? { enabled: true, periodDays: Number(period) } : { enabled: false }, {
      onSuccess: () => {
        setSubmitted(false);
        toast({ tone: 'success', title: enabled ? `Automatic rotation on, every ${period} days` : 'Automatic rotation off' });
      },
    });
  };

  return (
    <Card title="Automatic rotation" description="KMS creates new key material on a schedule; old material is kept, so existing ciphertexts still decrypt.">
      <Fields>
        <Field name="Status">{rotation?.enabled ? <span className="font-medium text-emerald-700 dark:text-emerald-400">Enabled</span> : 'Disabled'}</Field>
        <Field name="Rotation period">{rotation?.enabled && rotation.periodDays !== undefined ? `${rotation.periodDays} days` : <None />}</Field>
        <Field name="Next rotation">{rotation?.nextAt !== undefined ? formatDateTime(rotation.nextAt) : <None />}</Field>
      </Fields>
      <form onSubmit={save} className="mt-4 grid gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800" aria-describedby={can.reason ? ids.why : undefined}>
        <label htmlFor={ids.toggle} className="inline-flex items-center gap-2 text-sm font-medium">
          <input id={ids.toggle} type="checkbox" className="size-4 accent-amber-500" checked={enabled} disabled={!can.allowed} onChange={(e) => setEnabled(e.target.checked)} />
          Rotate this key automatically
        </label>
        {enabled && (
          <div>
            <label htmlFor={ids.period} className="text-sm font-medium">
              Rotation period (days)
            </label>
            <Input
              id={ids.period}
              inputMode="numeric"
              className="mt-1 block w-32"
              value={period}
              disabled={!can.allowed}
              onChange={(e) => setPeriod(e.target.value)}
              aria-invalid={periodError && submitted ? true : undefined}
              aria-describedby={`${ids.hint}${periodError ? ` ${ids.error}` : ''}`}
            />
            <p id={ids.hint} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              {ROTATION_PERIOD.min}–{ROTATION_PERIOD.max.toLocaleString('en-US')} days; AWS&apos;s default is {ROTATION_PERIOD.default}.
            </p>
            <FieldError id={ids.error} message={periodError} />
          </div>
        )}
        <div>
          <Button type="submit" variant="primary" disabled={!can.allowed || !changed || !!periodError || action.isPending}>
            {action.isPending ? 'Saving…' : 'Save rotation settings'}
          </Button>
        </div>
        <Unavailable id={ids.why} reason={can.reason} />
      </form>
    </Card>
  );
}

function RotateNow({ detail, used, action }: { detail: KeyDetail; used: number | undefined; action: KeyDetailActions['rotateNow'] }) {
  const toast = useToast();
  const can = useGate('operator', rotationChangeAvailability(detail));
  const left = used === undefined ? undefined : ON_DEMAND_ROTATION_LIMIT - used;
  const id = useId();
  return (
    <Card
      title="Rotate now"
      description={
        <>
          On-demand rotation (RotateKeyOnDemand) creates new key material at once and does not move the automatic schedule. AWS allows{' '}
          {ON_DEMAND_ROTATION_LIMIT} on-demand rotations per key, ever; past that KMS answers LimitExceededException.
        </>
      }
      actions={
        <Button
          variant="primary"
          disabled={!can.allowed || left === 0 || action.isPending}
          aria-describedby={id}
          onClick={() => action.mutate(undefined, { onSuccess: () => toast({ tone: 'success', title: 'Key rotated', description: 'New key material is now current.' }) })}
        >
          {action.isPending ? 'Rotating…' : 'Rotate now'}
        </Button>
      }
    >
      <p id={id} className="text-sm">
        {left === undefined ? (
          'Counting on-demand rotations…'
        ) : (
          <>
            <strong>{used}</strong> of {ON_DEMAND_ROTATION_LIMIT} on-demand rotations used — <strong>{left}</strong> left.
          </>
        )}{' '}
        {can.reason}
      </p>
    </Card>
  );
}

function HistoryTable({ history }: { history: RotationHistory }) {
  return (
    <Card title="Rotation history" description="Every rotation of this key's material (ListKeyRotations), automatic and on demand.">
      {history.error ? (
        <Notice tone="warning">
          <span className="font-mono font-semibold">{history.error.name}</span>: {history.error.message}
        </Notice>
      ) : !history.rotations ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading rotations…</p>
      ) : history.rotations.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">This key has not been rotated yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <Table aria-label="Rotation history">
            <TableHead>
              <TableRow>
                <TableHeaderCell>Rotated</TableHeaderCell>
                <TableHeaderCell>Type</TableHeaderCell>
                <TableHeaderCell>Key material</TableHeaderCell>
                <TableHeaderCell>State</TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {history.rotations.map((r) => (
                <TableRow key={r.materialId}>
                  <TableCell className="py-2 whitespace-nowrap">{r.at !== undefined ? formatDateTime(r.at) : '—'}</TableCell>
                  <TableCell className="py-2">{r.type === 'ON_DEMAND' ? 'On demand' : r.type === 'AUTOMATIC' ? 'Automatic' : '—'}</TableCell>
                  <TableCell className="py-2" title={r.materialId}>
                    <Mono>{r.materialId.slice(0, 16)}…</Mono>
                  </TableCell>
                  <TableCell className="py-2">{r.state === 'CURRENT' ? 'Current' : r.state === 'NON_CURRENT' ? 'Previous' : r.state}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {history.hasMore && (
        <Button className="mt-3" size="sm" disabled={history.loadingMore} onClick={history.loadMore}>
          {history.loadingMore ? 'Loading…' : 'Load more rotations'}
        </Button>
      )}
    </Card>
  );
}
