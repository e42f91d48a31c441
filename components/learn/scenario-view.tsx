'use client';
/** A scenario's page: its steps in order, each run for real on the server, and "Reset scenario". */
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, RotateCcw } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import type { ActionResult } from '@/lib/actions/define-action';
import type { ResetResult } from '@/lib/learn/runner';
import type { ScenarioSummary, StepResult } from '@/lib/learn/types';
import { learnQueries } from '@/lib/queries/learn';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { StepCard } from './step-card';

export interface ScenarioActions {
  runStep: (input: { scenario: string; step: string; endpointUrl?: string }) => Promise<ActionResult<StepResult>>;
  reset: (input: { scenario: string }) => Promise<ActionResult<ResetResult>>;
}

export function ScenarioView({ scenario, mode, actions }: { scenario: ScenarioSummary; mode: 'demo' | 'aws'; actions: ScenarioActions }) {
  const toast = useToast();
  const progress = useQuery(learnQueries.progress());
  const saved = (progress.data?.progress ?? []).filter((p) => p.scenario === scenario.id);
  const [results, setResults] = useState<Record<string, StepResult>>({});
  const [resetOpen, setResetOpen] = useState(false);
  const invalidates = () => [learnQueries.all()];
  // A step that did not pass comes back as an error with its result: shown on its card, not as an action failure.
  const runShowingFailures = async (input: Parameters<ScenarioActions['runStep']>[0]): Promise<ActionResult<StepResult>> => {
    const result = await actions.runStep(input);
    return !result.ok && result.data ? { ok: true, data: result.data } : result;
  };
  const run = useActionMutation(runShowingFailures, { invalidates });
  const reset = useActionMutation(actions.reset, {
    invalidates,
    successTitle: (data) =>
      data.scheduled.length > 0
        ? `${data.scheduled.length} key${data.scheduled.length === 1 ? '' : 's'} scheduled for deletion${data.deletionDate ? ` on ${data.deletionDate.slice(0, 10)}` : ''}`
        : 'Progress cleared; the scenario had no keys to delete',
  });

  const statusOf = (stepId: string) => (results[stepId] ? (results[stepId].passed ? 'passed' : 'failed') : saved.find((p) => p.step === stepId)?.status);
  const passed = scenario.steps.filter((s) => statusOf(s.id) === 'passed').length;

  const runStep = (stepId: string) =>
    run.mutate(
      { scenario: scenario.id, step: stepId, endpointUrl: `${window.location.origin}/api/kms` },
      {
        onSuccess: (result) => {
          setResults((r) => ({ ...r, [stepId]: result }));
          if (!result.passed) toast({ title: 'The step did not pass', description: result.reason, tone: 'error' });
        },
      },
    );

  const doReset = () =>
    reset.mutate(
      { scenario: scenario.id },
      {
        onSuccess: () => {
          setResults({});
          setResetOpen(false);
        },
      },
    );

  return (
    <>
      <PageHeader
        title={`${scenario.number}. ${scenario.title}`}
        description={scenario.summary}
        actions={
          <>
            <Button asChild variant="ghost" size="sm">
              <Link href="/learn">
                <ArrowLeft aria-hidden="true" />
                All scenarios
              </Link>
            </Button>
            {mode === 'demo' && (
              <Dialog open={resetOpen} onOpenChange={setResetOpen}>
                <DialogTrigger asChild>
                  <Button size="sm">
                    <RotateCcw aria-hidden="true" />
                    Reset scenario
                  </Button>
                </DialogTrigger>
                <DialogContent title="Reset this scenario?" description="Its keys are scheduled for deletion in 7 days (the shortest window AWS allows) and its progress is cleared. Other scenarios are untouched.">
                  <div className="mt-4 flex justify-end gap-2">
                    <DialogClose asChild>
                      <Button size="sm">Cancel</Button>
                    </DialogClose>
                    <Button size="sm" variant="danger" onClick={doReset} disabled={reset.isPending}>
                      {reset.isPending ? 'Resetting…' : 'Schedule deletion and reset'}
                    </Button>
                  </div>
                </DialogContent>
              </Dialog>
            )}
          </>
        }
      />
      <div className="grid gap-4 px-6 pb-8">
        {mode === 'aws' ? (
          <p className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200">
            The scenarios create keys and act as the demo accounts’ identities (an application role, an auditor, a partner account), so they run in demo mode only. Start Keydeck with KEYDECK_MODE=demo to run them; nothing is run against AWS from here.
          </p>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
            {passed} of {scenario.steps.length} steps passed. Each step runs for real against the demo emulator through the AWS SDK; its keys are tagged keydeck:scenario={scenario.id}.
          </p>
        )}
        <ol aria-label="Steps" className="grid gap-3">
          {scenario.steps.map((step, i) => {
            const blocker = scenario.steps.slice(0, i).find((s) => statusOf(s.id) !== 'passed');
            return (
              <StepCard
                key={step.id}
                number={i + 1}
                step={step}
                saved={saved.find((p) => p.step === step.id)}
                result={results[step.id]}
                blockedBy={mode === 'demo' ? blocker?.title : undefined}
                running={run.isPending && run.variables?.step === step.id}
                disabled={mode !== 'demo' || run.isPending}
                onRun={() => runStep(step.id)}
              />
            );
          })}
        </ol>
      </div>
    </>
  );
}
