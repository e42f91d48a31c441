'use client';
/**
 * Review before save: a side-by-side diff, the lint delta and the access delta; Save calls PutKeyPolicy.
 * A policy that would lock the console out is refused with the reason; bypassing the lockout check
 * needs a second, explicit confirmation.
 */
import { diffLines } from 'diff';
import { TriangleAlert } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DialogClose, DialogContent } from '@/components/ui/dialog';
import type { AccessChange } from '@/lib/policy/access';
import { LINT_RULE_TITLES, type LintFinding } from '@/lib/policy/lint';

interface Row {
  left?: { n: number; text: string; kind: 'same' | 'removed' };
  right?: { n: number; text: string; kind: 'same' | 'added' };
}

/** Pairs removed and added runs line by line, so a changed line sits opposite its old version. */
export function sideBySide(before: string, after: string): Row[] {
  const rows: Row[] = [];
  let l = 1;
  let r = 1;
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const lines = (p: { value: string }) => p.value.replace(/\n$/, '').split('\n');
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const text of lines(part)) rows.push({ left: { n: l++, text, kind: 'same' }, right: { n: r++, text, kind: 'same' } });
    } else if (part.removed) {
      const removed = lines(part);
      const next = parts[i + 1];
      const added = next?.added ? lines(next) : [];
      if (next?.added) i++;
      for (let k = 0; k < Math.max(removed.length, added.length); k++) {
        rows.push({
          ...(k < removed.length ? { left: { n: l++, text: removed[k], kind: 'removed' as const } } : {}),
          ...(k < added.length ? { right: { n: r++, text: added[k], kind: 'added' as const } } : {}),
        });
      }
    } else {
      for (const text of lines(part)) rows.push({ right: { n: r++, text, kind: 'added' } });
    }
  }
  return rows;
}

const findingKey = (f: LintFinding) => `${f.rule}|${f.message}`;

export function ReviewDialogContent({
  saved,
  draft,
  savedFindings,
  draftFindings,
  accessChanges,
  saving,
  lockout,
  onSave,
}: {
  saved: string;
  draft: string;
  savedFindings: LintFinding[];
  draftFindings: LintFinding[];
  accessChanges: AccessChange[];
  saving: boolean;
  lockout: string | null;
  onSave: (bypassLockoutCheck: boolean) => void;
}) {
  const rows = useMemo(() => sideBySide(saved, draft), [saved, draft]);
  const before = new Set(savedFindings.map(findingKey));
  const after = new Set(draftFindings.map(findingKey));
  const added = draftFindings.filter((f) => !before.has(findingKey(f)));
  const resolved = savedFindings.filter((f) => !after.has(findingKey(f)));
  const [understood, setUnderstood] = useState(false);
  const [confirmStep, setConfirmStep] = useState(false);

  const cell = (side: Row['left'] | Row['right']) => {
    if (!side) return <td className="bg-zinc-50 dark:bg-zinc-800/40" colSpan={2} />;
    const tone = side.kind === 'removed' ? 'bg-red-50 text-red-900 dark:bg-red-500/15 dark:text-red-100' : side.kind === 'added' ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-100' : '';
    return (
      <>
        <td className={`pr-2 text-right align-top text-zinc-500 select-none dark:text-zinc-400 ${tone}`}>{side.n}</td>
        <td className={`align-top break-all whitespace-pre-wrap ${tone}`}>
          {side.kind === 'removed' ? <span className="sr-only">removed: </span> : side.kind === 'added' ? <span className="sr-only">added: </span> : null}
          {side.text}
        </td>
      </>
    );
  };

  return (
    <DialogContent title="Review policy changes" description="Check what changes before PutKeyPolicy replaces the key policy." className="top-[4vh] max-h-[92vh] w-[min(72rem,calc(100vw-2rem))] overflow-y-auto">
      <div className="mt-4 grid gap-4">
        <section aria-labelledby="diff-title">
          <h3 id="diff-title" className="text-sm font-semibold">
            Policy diff
          </h3>
          <div tabIndex={0} role="group" aria-label="Diff, scrollable" className="mt-2 max-h-[22rem] overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full table-fixed font-mono text-[11.5px] leading-5" aria-label="Side-by-side diff: saved policy and draft">
              <colgroup>
                <col className="w-10" />
                <col />
                <col className="w-10" />
                <col />
              </colgroup>
              <thead className="sticky top-0 bg-zinc-100 text-left text-xs dark:bg-zinc-800">
                <tr>
                  <th colSpan={2} className="px-2 py-1 font-sans font-semibold">
                    Saved policy
                  </th>
                  <th colSpan={2} className="px-2 py-1 font-sans font-semibold">
                    Draft
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    {cell(row.left)}
                    {cell(row.right)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <div className="grid gap-4 md:grid-cols-2">
          <section aria-labelledby="lint-delta-title">
            <h3 id="lint-delta-title" className="text-sm font-semibold">
              Lint delta
            </h3>
            {added.length === 0 && resolved.length === 0 && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">No change in lint findings.</p>}
            <ul className="mt-1 flex flex-col gap-1 text-sm">
              {added.map((f, i) => (
                <li key={`a${i}`}>
                  <Badge tone={f.severity === 'error' ? 'danger' : f.severity === 'warning' ? 'warning' : 'info'}>New</Badge> <span className="font-medium">{LINT_RULE_TITLES[f.rule]}</span>: {f.message}
                </li>
              ))}
              {resolved.map((f, i) => (
                <li key={`r${i}`}>
                  <Badge tone="success">Resolved</Badge> <span className="font-medium">{LINT_RULE_TITLES[f.rule]}</span>: {f.message}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="access-delta-title">
            <h3 id="access-delta-title" className="text-sm font-semibold">
              Access delta
            </h3>
            {accessChanges.length === 0 && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">No known principal gains or loses access.</p>}
            <ul tabIndex={0} className="mt-1 flex max-h-48 flex-col gap-0.5 overflow-y-auto text-sm" aria-label="Access changes">
              {accessChanges.map((c, i) => (
                <li key={i}>
                  <Badge tone={c.to === 'allow' ? 'warning' : c.to === 'deny' ? 'neutral' : 'info'}>{c.to === 'allow' ? 'Gains' : c.to === 'deny' ? 'Loses' : 'Conditional'}</Badge> {c.sentence}
                </li>
              ))}
            </ul>
          </section>
        </div>

        {lockout && (
          <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
            <p className="flex items-center gap-2 font-semibold text-red-800 dark:text-red-200">
              <TriangleAlert aria-hidden="true" className="size-4" /> Refused: this policy would lock you out
            </p>
            <p className="mt-1">{lockout}</p>
            <label className="mt-2 flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 accent-red-600" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
              <span>I understand that after saving, this console may never be able to change this key policy again. Only an admin can save a key policy or bypass this check; the bypass is recorded in the audit log.</span>
            </label>
            {confirmStep ? (
              <div className="mt-2 flex flex-wrap items-center gap-2">
                <span className="font-medium">Are you sure? This is the second confirmation.</span>
                <Button variant="danger" disabled={saving} onClick={() => onSave(true)}>
                  Confirm bypass and save
                </Button>
                <Button variant="ghost" onClick={() => setConfirmStep(false)}>
                  Back
                </Button>
              </div>
            ) : (
              <Button className="mt-2" variant="danger" disabled={!understood} onClick={() => setConfirmStep(true)}>
                Bypass the lockout safety check…
              </Button>
            )}
          </div>
        )}

        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button>Keep editing</Button>
          </DialogClose>
          <Button variant="primary" disabled={saving || !!lockout} onClick={() => onSave(false)}>
            {saving ? 'Saving…' : 'Save policy'}
          </Button>
        </div>
      </div>
    </DialogContent>
  );
}
