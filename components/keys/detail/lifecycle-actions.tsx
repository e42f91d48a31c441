'use client';
/** The header's lifecycle buttons: enable/disable, schedule deletion (a dialog that explains and confirms), cancel deletion. */
import { useGate } from '@/components/auth/user-context';
import { Ban, CircleCheck, RotateCcw, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { useToast } from '@/components/ui/toast';
import { formatDateTime } from '@/lib/format/date';
import { lifecycleAvailability, type Availability } from '@/lib/kms/key-availability';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { DELETION_WINDOW, deletionDateAfter, deletionWindowError } from '@/lib/kms/key-limits';
import { FieldError, Notice } from './parts';
import type { KeyDetailActions } from './types';

/** A button that, when its action is unavailable, stays focusable-free but carries the reason as its description. */
function GatedButton({ availability, children, ...props }: React.ComponentProps<typeof Button> & { availability: Availability }) {
  const id = useId();
  return (
    <span title={availability.reason} className="inline-flex">
      <Button {...props} disabled={!availability.allowed || props.disabled} aria-describedby={availability.reason ? id : undefined}>
        {children}
      </Button>
      {availability.reason && (
        <span id={id} className="sr-only">
          {availability.reason}
        </span>
      )}
    </span>
  );
}

export function LifecycleActions({ detail, actions }: { detail: KeyDetail; actions: Pick<KeyDetailActions, 'setEnabled' | 'scheduleDeletion' | 'cancelDeletion'> }) {
  const toast = useToast();
  const byState = lifecycleAvailability(detail);
  const can = {
    enable: useGate('operator', byState.enable),
    disable: useGate('operator', byState.disable),
    scheduleDeletion: useGate('admin', byState.scheduleDeletion),
    cancelDeletion: useGate('admin', byState.cancelDeletion),
  };
  const pending = detail.row.state === 'PendingDeletion' || detail.row.state === 'PendingReplicaDeletion';
  return (
    <>
      {detail.row.state === 'Disabled' || !byState.disable.allowed ? (
        <GatedButton
          availability={can.enable}
          disabled={actions.setEnabled.isPending}
          onClick={() => actions.setEnabled.mutate({ enabled: true }, { onSuccess: () => toast({ tone: 'success', title: 'Key enabled' }) })}
        >
          <CircleCheck aria-hidden="true" /> Enable
        </GatedButton>
      ) : (
        <GatedButton
          availability={can.disable}
          disabled={actions.setEnabled.isPending}
          onClick={() =>
            actions.setEnabled.mutate(
              { enabled: false },
              { onSuccess: () => toast({ tone: 'success', title: 'Key disabled', description: 'Cryptographic operations with it now fail with DisabledException.' }) },
            )
          }
        >
          <Ban aria-hidden="true" /> Disable
        </GatedButton>
      )}
      {pending ? (
        <GatedButton
          availability={can.cancelDeletion}
          disabled={actions.cancelDeletion.isPending}
          onClick={() =>
            actions.cancelDeletion.mutate(undefined, {
              onSuccess: (result) =>
                toast({ tone: 'success', title: 'Deletion cancelled', description: `The key is now ${result.keyState}, as AWS leaves it: enable it to use it again.` }),
            })
          }
        >
          <RotateCcw aria-hidden="true" /> Cancel deletion
        </GatedButton>
      ) : (
        <ScheduleDeletion detail={detail} availability={can.scheduleDeletion} action={actions.scheduleDeletion} />
      )}
    </>
  );
}

function ScheduleDeletion({ detail, availability, action }: { detail: KeyDetail; availability: Availability; action: KeyDetailActions['scheduleDeletion'] }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState(String(DELETION_WINDOW.default));
  const [confirm, setConfirm] = useState('');
  const [now, setNow] = useState(0);
  const daysError = deletionWindowError(days);
  const names = [detail.row.id, ...detail.row.aliases];
  const confirmed = names.includes(confirm.trim());
  const ids = { days: useId(), daysError: useId(), confirm: useId(), confirmHint: useId() };
  const replicas = detail.multiRegion?.type === 'PRIMARY' ? detail.multiRegion.replicas.length : 0;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) {
      setNow(Date.now());
      setDays(String(DELETION_WINDOW.default));
      setConfirm('');
    }
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (daysError || !confirmed) return;
    action.mutate(
      { pendingWindowInDays: Number(days) },
      {
        onSuccess: (result) => {
          setOpen(false);
          toast({ tone: 'success', title: 'Deletion scheduled', description: `KMS deletes the key on ${formatDateTime(result.deletionDate)} unless you cancel before then.` });
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <GatedButton availability={availability} variant="danger" onClick={() => onOpenChange(true)}>
        <Trash2 aria-hidden="true" /> Schedule deletion
      </GatedButton>
      <DialogContent title="Schedule key deletion" description={`${detail.row.aliases[0] ?? detail.row.id} — ${detail.row.spec}, ${detail.row.usage}`}>
        <form onSubmit={submit} className="mt-4 grid gap-4 text-sm">
          <Notice tone="danger">
            <p className="font-medium">Deleting a KMS key is irreversible.</p>
            <p className="mt-1">
              When the waiting period ends, KMS deletes the key and all its key material. Every ciphertext encrypted under it becomes unrecoverable, and signatures
              made with it can no longer be verified by KMS. Its aliases are deleted too.
            </p>
            <p className="mt-1">
              Not sure it is unused? <strong>Disable</strong> it instead and watch Recent activity for failed calls: disabling is reversible at any time.
            </p>
            {replicas > 0 && (
              <p className="mt-1">
                This primary key has {replicas} {replicas === 1 ? 'replica' : 'replicas'}: it waits in Pending replica deletion until they are deleted.
              </p>
            )}
          </Notice>
          <div>
            <label htmlFor={ids.days} className="font-medium">
              Waiting period (days)
            </label>
            <Input
              id={ids.days}
              inputMode="numeric"
              className="mt-1 block w-28"
              value={days}
              onChange={(e) => setDays(e.target.value)}
              aria-invalid={daysError ? true : undefined}
              aria-describedby={daysError ? ids.daysError : undefined}
            />
            <FieldError id={ids.daysError} message={daysError} />
            {!daysError && now > 0 && (
              <p className="mt-1 text-zinc-700 dark:text-zinc-300" aria-live="polite">
                The key will be deleted on <strong>{formatDateTime(deletionDateAfter(now, Number(days)))}</strong>.
              </p>
            )}
          </div>
          <div>
            <label htmlFor={ids.confirm} className="font-medium">
              Type the key ID or an alias to confirm
            </label>
            <p id={ids.confirmHint} className="text-zinc-600 dark:text-zinc-400">
              <span className="font-mono text-xs break-all">{detail.row.id}</span>
              {detail.row.aliases.length > 0 && <> or {detail.row.aliases.map((a) => <span key={a} className="font-mono text-xs">{a} </span>)}</>}
            </p>
            <Input id={ids.confirm} autoComplete="off" spellCheck={false} className="mt-1 block w-full font-mono" value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-describedby={ids.confirmHint} />
          </div>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button>Keep the key</Button>
            </DialogClose>
            <Button type="submit" variant="danger" disabled={!confirmed || !!daysError || action.isPending}>
              {action.isPending ? 'Scheduling…' : 'Schedule deletion'}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
