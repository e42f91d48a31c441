'use client';
/** Parse errors and lint findings of the draft: severity, statement, position, why it matters and the fix. */
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { PolicyError } from '@/lib/policy';
import { describeStatementRef, LINT_RULE_TITLES, type LintFinding, type LintSeverity } from '@/lib/policy/lint';

const TONE: Record<LintSeverity, BadgeTone> = { error: 'danger', warning: 'warning', info: 'info' };

export function LintPanel({ errors, findings, onGoTo }: { errors: PolicyError[]; findings: LintFinding[]; onGoTo: (line: number, column: number) => void }) {
  const count = errors.length + findings.length;
  return (
    <section aria-labelledby="lint-title" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="lint-title" className="text-sm font-semibold">
        Findings <span className="font-normal text-zinc-600 dark:text-zinc-400">({count})</span>
      </h2>
      {count === 0 && <p className="mt-2 text-sm text-emerald-800 dark:text-emerald-300">The policy is valid and lint finds nothing to report.</p>}
      <ul className="mt-2 flex max-h-[28rem] flex-col gap-2 overflow-y-auto" aria-label="Findings">
        {errors.map((e, i) => (
          <li key={`e${i}`} className="rounded-lg border border-red-200 p-2.5 text-sm dark:border-red-500/30">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone="danger">Syntax error</Badge>
              <Button variant="ghost" size="sm" className="h-6 px-1.5 font-mono text-xs" onClick={() => onGoTo(e.line, e.column)}>
                Line {e.line}, column {e.column}
              </Button>
            </div>
            <p className="mt-1">{e.message}</p>
          </li>
        ))}
        {findings.map((f, i) => (
          <li key={`f${i}`} className="rounded-lg border border-zinc-200 p-2.5 text-sm dark:border-zinc-800">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={TONE[f.severity]}>{f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Info'}</Badge>
              <span className="font-medium">{LINT_RULE_TITLES[f.rule]}</span>
              {f.statement && <span className="text-xs text-zinc-600 dark:text-zinc-400">{describeStatementRef(f.statement)}</span>}
              <Button variant="ghost" size="sm" className="h-6 px-1.5 font-mono text-xs" onClick={() => onGoTo(f.line, f.column)}>
                Line {f.line}, column {f.column}
              </Button>
            </div>
            <p className="mt-1">{f.message}</p>
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="font-semibold">Why it matters:</span> {f.why}
            </p>
            <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="font-semibold">Fix:</span> {f.fix}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
