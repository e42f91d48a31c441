'use client';
/**
 * The guided manual rotation for keys KMS cannot rotate: choose the aliases to move, review the plan, then
 * run it one step at a time (CreateKey like this one, UpdateAlias per alias) with each step's result.
 */
import { useGate } from '@/components/auth/user-context';
import { Check, CircleAlert, LoaderCircle } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { editAvailability } from '@/lib/kms/key-availability';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { planManualRotation, type ManualRotationStep } from '@/lib/kms/key-manual-rotation-plan';
import { Card, Notice, Unavailable } from './parts';
import type { CreatedKeyResult, KeyDetailActions } from './types';

type StepState = { status: 'waiting' | 'running' | 'done' | 'failed' | 'skipped'; message?: string };

export function ManualRotation({
  detail,
  reason,
  actions,
  keyHref,
}: {
  detail: KeyDetail;
  reason: string;
  actions: Pick<KeyDetailActions, 'createReplacement' | 'retargetAlias'>;
  keyHref: (keyId: string) => string;
}) {
  const external = detail.row.origin === 'EXTERNAL';
  // Moving an alias to an imported key before its material is there would break its callers: opt in.
  const [chosen, setChosen] = useState<string[]>(external ? [] : detail.row.aliases);
  const [phase, setPhase] = useState<'choose' | 'review' | 'run'>('choose');
  const [states, setStates] = useState<StepState[]>([]);
  const [created, setCreated] = useState<CreatedKeyResult | null>(null);
  // A manual rotation creates a key: an admin's job.
  const can = useGate('admin', editAvailability(detail));
  const replica = detail.multiRegion?.type === 'REPLICA';
  const plan = planManualRotation(detail, chosen);

  const run = async () => {
    setPhase('run');
    const next: StepState[] = plan.map(() => ({ status: 'waiting' }));
    const update = (i: number, state: StepState) => {
      next[i] = state;
      setStates([...next]);
    };
    setStates([...next]);
    let newKey: CreatedKeyResult | null = null;
    for (const [i, step] of plan.entries()) {
      update(i, { status: 'running' });
      try {
        if (step.kind === 'create') {
          newKey = await actions.createReplacement.mutateAsync();
          setCreated(newKey);
          update(i, { status: 'done', message: `Created ${newKey.keyId} (${newKey.keyState}).` });
        } else if (step.kind === 'move-alias') {
          await actions.retargetAlias.mutateAsync({ aliasName: step.alias, keyId: newKey!.keyId });
          update(i, { status: 'done', message: `${step.alias} now points to ${newKey!.keyId}.` });
        } else {
          update(i, { status: 'done', message: `${detail.row.id} stays ${detail.row.state}.` });
        }
      } catch (error) {
        const e = error as Error;
        update(i, { status: 'failed', message: `${e.name}: ${e.message}` });
        for (let j = i + 1; j < plan.length; j++) update(j, { status: 'skipped', message: 'Not run: an earlier step failed.' });
        return;
      }
    }
  };

  return (
    <Card title="Manual rotation" description={reason}>
      {replica ? (
        <p className="text-sm">This is a replica: rotate the primary key in {detail.multiRegion!.primary.region}, then replicate the new key.</p>
      ) : !can.allowed ? (
        <Unavailable reason={can.reason} />
      ) : phase === 'choose' ? (
        <div className="grid gap-3 text-sm">
          <p>
            A manual rotation creates a new key like this one and moves aliases to it, so applications that use an alias switch to the new key. This key stays enabled
            so what it {detail.row.usage === 'ENCRYPT_DECRYPT' ? 'encrypted still decrypts' : 'signed or MACed still verifies'}.
          </p>
          {external && (
            <Notice tone="warning">
              This key has imported (EXTERNAL) key material: the new key starts in Pending import, and you must import new key material into it before it can be used.
              Move aliases now only if their callers can wait for that.
            </Notice>
          )}
          <fieldset>
            <legend className="font-medium">Aliases to move to the new key</legend>
            {detail.row.aliases.length === 0 ? (
              <p className="mt-1 text-zinc-600 dark:text-zinc-400">This key has no aliases: applications name it by id or ARN and must be changed to use the new key.</p>
            ) : (
              <ul className="mt-1 grid gap-1">
                {detail.row.aliases.map((alias) => (
                  <li key={alias}>
                    <label className="inline-flex items-center gap-2">
                      <input
                        type="checkbox"
                        className="size-4 accent-amber-500"
                        checked={chosen.includes(alias)}
                        onChange={(e) => setChosen(e.target.checked ? [...chosen, alias] : chosen.filter((a) => a !== alias))}
                      />
                      <span className="font-mono text-xs">{alias}</span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          <div>
            <Button variant="primary" onClick={() => setPhase('review')}>
              Review the plan
            </Button>
          </div>
        </div>
      ) : (
        <div className="grid gap-3 text-sm">
          <h3 className="font-medium">{phase === 'review' ? 'Review: nothing has been changed yet' : 'Running the rotation'}</h3>
          <PlanList plan={plan} states={phase === 'run' ? states : undefined} />
          {phase === 'review' ? (
            <div className="flex gap-2">
              <Button variant="primary" onClick={run}>
                Run the rotation
              </Button>
              <Button onClick={() => setPhase('choose')}>Back</Button>
            </div>
          ) : (
            created && (
              <p>
                New key:{' '}
                <Link className="font-mono text-xs font-medium underline" href={keyHref(created.keyId)}>
                  {created.keyId}
                </Link>
              </p>
            )
          )}
        </div>
      )}
    </Card>
  );
}

function PlanList({ plan, states }: { plan: ManualRotationStep[]; states: StepState[] | undefined }) {
  return (
    <ol aria-label="Rotation steps" className="grid gap-2">
      {plan.map((step, i) => {
        const state = states?.[i];
        return (
          <li key={i} className="flex gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <span aria-hidden="true" className="mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold dark:bg-zinc-800">
              {state?.status === 'done' ? (
                <Check className="size-3.5 text-emerald-600 dark:text-emerald-400" />
              ) : state?.status === 'failed' ? (
                <CircleAlert className="size-3.5 text-red-600 dark:text-red-400" />
              ) : state?.status === 'running' ? (
                <LoaderCircle className="size-3.5 animate-spin" />
              ) : (
                i + 1
              )}
            </span>
            <div className="min-w-0">
              <p className="font-medium">
                {step.title}
                {state && <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">— {state.status}</span>}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">{step.detail}</p>
              {state?.message && <p className={state.status === 'failed' ? 'mt-1 text-red-700 dark:text-red-400' : 'mt-1'}>{state.message}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
