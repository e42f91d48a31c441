'use client';
/** /learn: the eight scenarios with the learner's progress in each. */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ScenarioSummary } from '@/lib/learn/types';
import { learnQueries } from '@/lib/queries/learn';

export function LearnOverview({ scenarios, mode }: { scenarios: ScenarioSummary[]; mode: 'demo' | 'aws' }) {
  const progress = useQuery(learnQueries.progress());
  const rows = progress.data?.progress ?? [];
  return (
    <>
      <PageHeader title="Learn" description="Guided scenarios: each step runs for real against the emulator, checks its result, and shows the call, its CloudTrail event and the AWS CLI command." />
      <div className="grid gap-4 px-6 pb-8">
        {mode === 'aws' && (
          <p className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200">
            This console runs against AWS. The scenarios create keys and act as the demo accounts’ identities, so they run in demo mode only: you can read them here, and run them in a console started with KEYDECK_MODE=demo.
          </p>
        )}
        {progress.error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {progress.error.name}: {progress.error.message}
          </p>
        )}
        <ol aria-label="Scenarios" className="grid gap-3 md:grid-cols-2">
          {scenarios.map((s) => {
            const passed = s.steps.filter((step) => rows.some((r) => r.scenario === s.id && r.step === step.id && r.status === 'passed')).length;
            const started = rows.some((r) => r.scenario === s.id);
            const done = passed === s.steps.length;
            const labelId = `scenario-${s.id}`;
            return (
              <li key={s.id} aria-labelledby={labelId} className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
                <div className="flex items-start justify-between gap-2">
                  <h2 id={labelId} className="text-base font-semibold">
                    {s.number}. {s.title}
                  </h2>
                  {done ? <Badge tone="success">Completed</Badge> : started ? <Badge tone="info">In progress</Badge> : <Badge>Not started</Badge>}
                </div>
                <p className="flex-1 text-sm text-zinc-600 dark:text-zinc-400">{s.summary}</p>
                <div className="flex items-center gap-3">
                  <div
                    role="progressbar"
                    aria-label={`${s.title} progress`}
                    aria-valuemin={0}
                    aria-valuemax={s.steps.length}
                    aria-valuenow={passed}
                    aria-valuetext={`${passed} of ${s.steps.length} steps passed`}
                    className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
                  >
                    <div className="h-full rounded-full bg-emerald-500" style={{ width: `${(passed / s.steps.length) * 100}%` }} />
                  </div>
                  <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                    {passed}/{s.steps.length} steps
                  </span>
                  <Button asChild size="sm" variant={done ? 'secondary' : 'primary'}>
                    <Link href={`/learn/${s.id}`} aria-label={`${done ? 'Review' : started ? 'Continue' : 'Start'} ${s.title}`}>
                      {done ? 'Review' : started ? 'Continue' : 'Start'}
                    </Link>
                  </Button>
                </div>
              </li>
            );
          })}
        </ol>
      </div>
    </>
  );
}
