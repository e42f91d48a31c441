'use client';
/**
 * The create-key wizard: five steps like the AWS console's, state in a reducer (Back keeps everything),
 * the step in the URL (`?step=`), each step checked before Next, and one server action at the end.
 */
import { useGate } from '@/components/auth/user-context';
import { useQuery } from '@tanstack/react-query';
import { Check, CircleAlert } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useReducer, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { ActionResult } from '@/lib/actions/define-action';
import { fullAlias, hasLabelProblems, labelProblems, type CreatedKey, type KeyDraft } from '@/lib/kms/create-key';
import type { Scope } from '@/lib/kms/inventory-types';
import { keyQueries } from '@/lib/queries/keys';
import { checkAliasAvailable, principalQueries } from '@/lib/queries/principals';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { supportsGrantsForAwsResources } from '@/lib/policy/default-view';
import { CreateSuccess } from './create-success';
import { StepConfigure } from './step-configure';
import { StepLabels } from './step-labels';
import { StepPrincipals } from './step-principals';
import { StepReview } from './step-review';
import { firstBlockingStep, initialWizardState, isStepId, stepIndex, stepIsValid, STEPS, wizardReducer, type StepId } from './wizard-state';

export interface CreateKeyInput {
  region: string;
  account: string;
  draft: KeyDraft;
}

export interface CreateKeyWizardProps {
  scope: Scope;
  /** The account id a new key's policy names; null when the server could not tell. */
  account: string | null;
  createKey: (input: CreateKeyInput) => Promise<ActionResult<CreatedKey & { region: string; account: string }>>;
}

export function CreateKeyWizard({ scope, account, createKey }: CreateKeyWizardProps) {
  const canCreate = useGate('admin');
  const [state, dispatch] = useReducer(wizardReducer, initialWizardState);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const searchParams = useSearchParams();
  const requested = searchParams.get('step');
  // Links keep the account when the URL names one (aws mode with several accounts).
  const accountParam = searchParams.get('account');
  const scopeQuery = `region=${encodeURIComponent(scope.region)}${accountParam ? `&account=${encodeURIComponent(accountParam)}` : ''}`;
  const step = firstBlockingStep(state, isStepId(requested) ? requested : 'configure');
  const index = stepIndex(step);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const firstRender = useRef(true);

  // Read from the start, so the principal steps are ready when the user reaches them.
  const principals = useQuery(principalQueries.list(scope));
  const create = useActionMutation(createKey, { invalidates: () => [keyQueries.all(scope)] });

  useEffect(() => {
    // A new step takes the focus to its heading, as a new page would; not on first load.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  useEffect(() => {
    if (create.data) document.getElementById('created-title')?.focus();
  }, [create.data]);

  useEffect(() => {
    // A link or Back to a step that cannot be shown yet lands on an earlier one; the URL says which.
    if (requested !== null && requested !== step) {
      const params = new URLSearchParams(window.location.search);
      params.set('step', step);
      window.history.replaceState(null, '', `?${params}`);
    }
  }, [requested, step]);

  const goTo = (target: StepId) => {
    // A refused Create's message belongs to the draft as it was; editing starts afresh.
    if (create.error) create.reset();
    const params = new URLSearchParams(window.location.search);
    params.set('step', target);
    // pushState: the browser's Back goes to the previous step; Next.js keeps useSearchParams in step.
    window.history.pushState(null, '', `?${params}`);
  };

  // Bumped to move the focus to the first field with a problem once React has rendered the problems.
  const [focusRequest, setFocusRequest] = useState(0);
  const focusFirstProblem = () => setFocusRequest((n) => n + 1);
  useEffect(() => {
    if (focusRequest > 0) panelRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const next = async () => {
    if (step === 'configure' && !stepIsValid('configure', state)) {
      dispatch({ type: 'show-problems', step });
      return;
    }
    if (step === 'labels') {
      if (hasLabelProblems(labelProblems(state.draft))) {
        dispatch({ type: 'show-problems', step });
        focusFirstProblem();
        return;
      }
      const alias = fullAlias(state.draft.alias);
      if (state.freeAlias !== alias) {
        setChecking(true);
        setCheckError(null);
        try {
          const available = await checkAliasAvailable(scope, alias);
          dispatch({ type: 'alias-checked', alias, available });
          if (!available) {
            focusFirstProblem();
            return;
          }
        } catch (error) {
          setCheckError(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
          return;
        } finally {
          setChecking(false);
        }
      }
    }
    dispatch({ type: 'passed', step });
    goTo(STEPS[index + 1].id);
  };

  if (create.data) {
    return (
      <div className="px-6 pb-8">
        <CreateSuccess
          created={create.data}
          region={create.data.region}
          scopeQuery={scopeQuery}
          wantedAlias={fullAlias(state.draft.alias)}
          onCreateAnother={() => {
            dispatch({ type: 'reset' });
            create.reset();
            goTo('configure');
          }}
        />
      </div>
    );
  }

  const principalError = principals.error ? { name: principals.error.name, message: principals.error.message } : null;
  const current = STEPS[index];

  return (
    <div className="flex flex-col gap-6 px-6 pb-8 lg:flex-row lg:items-start">
      <nav aria-label="Create key steps" className="lg:w-56 lg:shrink-0">
        <ol className="flex flex-wrap gap-x-4 gap-y-1 lg:flex-col lg:gap-1">
          {STEPS.map((s, i) => {
            const done = i < index;
            const reachable = i <= state.reached && i !== index;
            const content = (
              <>
                <span
                  aria-hidden="true"
                  className={cn(
                    'inline-flex size-6 shrink-0 items-center justify-center rounded-full border text-xs font-semibold',
                    i === index ? 'border-amber-500 bg-amber-500 text-zinc-950' : done ? 'border-zinc-400 text-zinc-700 dark:border-zinc-600 dark:text-zinc-300' : 'border-zinc-300 text-zinc-500 dark:border-zinc-700 dark:text-zinc-400',
                  )}
                >
                  {done ? <Check className="size-3.5" /> : i + 1}
                </span>
                <span>
                  <span className="sr-only">Step {i + 1}: </span>
                  {s.title}
                </span>
              </>
            );
            return (
              <li key={s.id}>
                {reachable ? (
                  <button type="button" onClick={() => goTo(s.id)} className="flex items-center gap-2 rounded-md py-1 pr-2 text-left text-sm text-zinc-700 hover:text-zinc-950 dark:text-zinc-300 dark:hover:text-zinc-50">
                    {content}
                  </button>
                ) : (
                  <span aria-current={i === index ? 'step' : undefined} className={cn('flex items-center gap-2 py-1 pr-2 text-sm', i === index ? 'font-semibold' : 'text-zinc-600 dark:text-zinc-400')}>
                    {content}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>

      <section aria-labelledby="step-title" className="min-w-0 flex-1 rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
            Step {index + 1} of {STEPS.length}
          </p>
          <h2 id="step-title" ref={headingRef} tabIndex={-1} className="text-base font-semibold outline-none">
            {current.title}
          </h2>
        </div>
        <div ref={panelRef} className="px-5 py-5">
          {step === 'configure' && <StepConfigure draft={state.draft} dispatch={dispatch} />}
          {step === 'labels' && (
            <StepLabels draft={state.draft} region={scope.region} showProblems={Boolean(state.showProblems.labels)} takenAlias={state.takenAlias} checking={checking} dispatch={dispatch} />
          )}
          {(step === 'administrators' || step === 'users') && (
            <StepPrincipals
              key={step}
              role={step}
              account={account}
              selected={state.draft[step]}
              typed={state.typedPrincipals}
              principals={principals.data}
              loading={principals.isPending}
              error={principalError}
              dispatch={dispatch}
            >
              {step === 'users' && (
                <label className="flex max-w-3xl items-start gap-2.5 rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800">
                  <input
                    type="checkbox"
                    checked={state.draft.allowGrantsForAwsResources && supportsGrantsForAwsResources(state.draft.keyUsage, state.draft.keySpec)}
                    disabled={!supportsGrantsForAwsResources(state.draft.keyUsage, state.draft.keySpec)}
                    onChange={(event) => dispatch({ type: 'grants', allow: event.target.checked })}
                    className="mt-0.5 size-4 shrink-0 accent-amber-600"
                  />
                  <span>
                    <span className="block font-medium">Allow key users to attach the key to AWS resources through grants</span>
                    <span className="mt-0.5 block text-zinc-600 dark:text-zinc-400">
                      {supportsGrantsForAwsResources(state.draft.keyUsage, state.draft.keySpec)
                        ? 'Services such as EBS and RDS create grants to use the key for the resources of a key user (kms:GrantIsForAWSResource).'
                        : 'Only symmetric encryption keys can be used by AWS services, so this applies to them only.'}
                    </span>
                  </span>
                </label>
              )}
            </StepPrincipals>
          )}
          {step === 'review' && <StepReview draft={state.draft} region={scope.region} account={account} onEdit={goTo} />}
        </div>

        {checkError && (
          <p role="alert" className="mx-5 mb-3 flex gap-2 text-sm text-red-700 dark:text-red-400">
            <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" /> Could not check the alias: {checkError}
          </p>
        )}
        {create.error && step === 'review' && (
          <p role="alert" className="mx-5 mb-3 flex gap-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
            <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" />
            <span>
              No key was created. <span className="font-mono font-semibold">{create.error.name}</span>: {create.error.message}
            </span>
          </p>
        )}

        <div className="flex flex-wrap items-center justify-between gap-2 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800">
          <Button asChild variant="ghost">
            <Link href={`/keys?${scopeQuery}`}>Cancel</Link>
          </Button>
          <div className="flex gap-2">
            {index > 0 && <Button onClick={() => goTo(STEPS[index - 1].id)}>Back</Button>}
            {step === 'review' ? (
              <Button variant="primary" onClick={() => create.mutate({ region: scope.region, account: scope.account, draft: state.draft })} disabled={create.isPending || !canCreate.allowed} title={canCreate.reason} aria-busy={create.isPending}>
                {create.isPending ? 'Creating…' : 'Create key'}
              </Button>
            ) : (
              <Button variant="primary" onClick={() => void next()} disabled={checking} aria-busy={checking}>
                Next
              </Button>
            )}
          </div>
        </div>
      </section>
    </div>
  );
}
