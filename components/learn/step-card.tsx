'use client';
/** One step of a scenario: what it does and why, "Run step", and what the run showed (pass or fail with the reason, notes, calls). */
import { CheckCircle2, CircleDashed, Play, XCircle } from 'lucide-react';
import { useId } from 'react';
import { CodeBlock } from '@/components/playground/card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { StepProgress, StepResult } from '@/lib/learn/types';
import { LearnCallView } from './learn-call';

export interface StepInfo {
  id: string;
  title: string;
  what: string;
  why: string;
}

export function StepCard({
  number,
  step,
  saved,
  result,
  blockedBy,
  running,
  disabled,
  onRun,
}: {
  number: number;
  step: StepInfo;
  saved?: StepProgress;
  result?: StepResult;
  /** The title of the earlier step that has not passed yet, if any. */
  blockedBy?: string;
  running: boolean;
  disabled: boolean;
  onRun: () => void;
}) {
  const id = useId();
  const status = result ? (result.passed ? 'passed' : 'failed') : saved?.status;
  const reason = result?.reason ?? saved?.reason;
  return (
    <li
      aria-labelledby={`${id}-title`}
      className={cn(
        'rounded-xl border bg-white p-4 dark:bg-zinc-900',
        status === 'passed' ? 'border-emerald-300 dark:border-emerald-500/40' : status === 'failed' ? 'border-red-300 dark:border-red-500/40' : 'border-zinc-200 dark:border-zinc-800',
      )}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <h2 id={`${id}-title`} className="flex items-center gap-2 text-base font-semibold">
            {status === 'passed' ? (
              <CheckCircle2 aria-hidden="true" className="size-5 text-emerald-600 dark:text-emerald-400" />
            ) : status === 'failed' ? (
              <XCircle aria-hidden="true" className="size-5 text-red-600 dark:text-red-400" />
            ) : (
              <CircleDashed aria-hidden="true" className="size-5 text-zinc-400" />
            )}
            <span>
              Step {number}: {step.title}
            </span>
          </h2>
          <p className="mt-1 text-sm text-zinc-800 dark:text-zinc-200">{step.what}</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            <span className="font-medium text-zinc-700 dark:text-zinc-300">Why: </span>
            {step.why}
          </p>
        </div>
        <div className="flex items-center gap-2">
          {status === 'passed' ? <Badge tone="success">Passed</Badge> : status === 'failed' ? <Badge tone="danger">Failed</Badge> : <Badge>Not run</Badge>}
          <Button variant={status === 'passed' ? 'secondary' : 'primary'} size="sm" onClick={onRun} disabled={disabled || !!blockedBy} aria-describedby={blockedBy ? `${id}-blocked` : undefined}>
            <Play aria-hidden="true" />
            {running ? 'Running…' : status ? 'Run step again' : 'Run step'}
          </Button>
        </div>
      </div>
      {blockedBy && (
        <p id={`${id}-blocked`} className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          Run “{blockedBy}” first: this step builds on it.
        </p>
      )}
      {reason && (
        <p
          role="status"
          className={cn(
            'mt-3 rounded-md border px-3 py-2 text-sm',
            status === 'passed'
              ? 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200'
              : 'border-red-300 bg-red-50 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200',
          )}
        >
          <span className="font-semibold">{status === 'passed' ? 'Passed: ' : 'Failed: '}</span>
          {reason}
        </p>
      )}
      {result && result.notes.length > 0 && (
        <div className="mt-3 grid gap-2">
          {result.notes.map((note) => (
            <div key={note.label}>
              <h3 className="mb-1 text-xs font-semibold text-zinc-700 dark:text-zinc-300">{note.label}</h3>
              <CodeBlock label={note.label}>{note.text}</CodeBlock>
            </div>
          ))}
        </div>
      )}
      {result && result.calls.length > 0 && (
        <div className="mt-3 grid gap-2">
          <h3 className="text-xs font-semibold text-zinc-700 dark:text-zinc-300">
            {result.calls.length === 1 ? 'The call' : `The ${result.calls.length} calls`}, in order
          </h3>
          {result.calls.map((call, i) => (
            <LearnCallView key={`${call.operation}-${call.at}-${i}`} call={call} open={false} />
          ))}
        </div>
      )}
    </li>
  );
}
