/** Step 2: alias (checked against the region's aliases on Next), description and tags, each validated inline. */
import { Plus, Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { fieldClass, Input } from '@/components/ui/input';
import { fullAlias, labelProblems, MAX_DESCRIPTION, MAX_TAGS, type KeyDraft } from '@/lib/kms/create-key';
import { FieldHint, FieldProblem } from './field-message';
import type { WizardAction } from './wizard-state';

const count = (n: number) => n.toLocaleString('en-US');

export function StepLabels({
  draft,
  region,
  showProblems,
  takenAlias,
  checking,
  dispatch,
}: {
  draft: KeyDraft;
  region: string;
  showProblems: boolean;
  takenAlias: string | null;
  checking: boolean;
  dispatch: (action: WizardAction) => void;
}) {
  const problems = labelProblems(draft);
  const alias = fullAlias(draft.alias);
  const aliasProblem = showProblems ? (problems.alias ?? (takenAlias === alias ? `${alias} is already used by another key in ${region}. Choose another alias.` : undefined)) : undefined;
  // The description's length shows as soon as it is over, not only after Next.
  const descriptionProblem = problems.description;
  return (
    <div className="grid gap-6">
      <div>
        <label htmlFor="alias" className="text-sm font-semibold">
          Alias
        </label>
        <FieldHint id="alias-hint">A friendly name for the key, unique in the Region: letters, digits, / _ and -, not beginning with aws/.</FieldHint>
        <div className="mt-2 flex max-w-xl">
          <span aria-hidden="true" className="inline-flex items-center rounded-l-md border border-r-0 border-zinc-300 bg-zinc-100 px-2.5 font-mono text-sm text-zinc-600 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
            alias/
          </span>
          <Input
            id="alias"
            value={draft.alias.startsWith('alias/') ? draft.alias.slice(6) : draft.alias}
            onChange={(event) => dispatch({ type: 'labels', change: { alias: event.target.value } })}
            aria-invalid={aliasProblem ? true : undefined}
            aria-describedby={aliasProblem ? 'alias-problem alias-hint' : 'alias-hint'}
            autoComplete="off"
            spellCheck={false}
            placeholder="orders/database"
            className="min-w-0 flex-1 rounded-l-none font-mono aria-invalid:border-red-500 dark:aria-invalid:border-red-400"
          />
        </div>
        {aliasProblem && <FieldProblem id="alias-problem">{aliasProblem}</FieldProblem>}
        {checking && <FieldHint>Checking that the alias is free…</FieldHint>}
      </div>

      <div>
        <label htmlFor="description" className="text-sm font-semibold">
          Description <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
        </label>
        <textarea
          id="description"
          rows={3}
          value={draft.description}
          onChange={(event) => dispatch({ type: 'labels', change: { description: event.target.value } })}
          aria-invalid={descriptionProblem ? true : undefined}
          aria-describedby="description-hint"
          className={cn(fieldClass, 'mt-2 block h-auto w-full max-w-xl py-2 aria-invalid:border-red-500 dark:aria-invalid:border-red-400')}
        />
        {descriptionProblem ? (
          <FieldProblem id="description-hint">{descriptionProblem}</FieldProblem>
        ) : (
          <FieldHint id="description-hint">
            What the key protects. {count(draft.description.length)} of {count(MAX_DESCRIPTION)} characters. It appears in CloudTrail: no secrets here.
          </FieldHint>
        )}
      </div>

      <fieldset>
        <legend className="text-sm font-semibold">
          Tags <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional)</span>
        </legend>
        <FieldHint>
          Key–value pairs for cost allocation and attribute-based access. {draft.tags.length} of {MAX_TAGS}; keys are unique and may not begin with aws:.
        </FieldHint>
        {draft.tags.length > 0 && (
          <div className="mt-2 grid max-w-2xl gap-2">
            {draft.tags.map((tag, index) => {
              const row = showProblems ? problems.tags.rows[index] : undefined;
              return (
                <div key={index} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
                  <div>
                    <Input
                      aria-label={`Tag ${index + 1} key`}
                      value={tag.key}
                      onChange={(event) => dispatch({ type: 'tag-change', index, change: { key: event.target.value } })}
                      aria-invalid={row?.key ? true : undefined}
                      aria-describedby={row?.key ? `tag-${index}-key-problem` : undefined}
                      placeholder="Key"
                      className="w-full aria-invalid:border-red-500 dark:aria-invalid:border-red-400"
                    />
                    {row?.key && <FieldProblem id={`tag-${index}-key-problem`}>{row.key}</FieldProblem>}
                  </div>
                  <div>
                    <Input
                      aria-label={`Tag ${index + 1} value`}
                      value={tag.value}
                      onChange={(event) => dispatch({ type: 'tag-change', index, change: { value: event.target.value } })}
                      aria-invalid={row?.value ? true : undefined}
                      aria-describedby={row?.value ? `tag-${index}-value-problem` : undefined}
                      placeholder="Value (may be empty)"
                      className="w-full aria-invalid:border-red-500 dark:aria-invalid:border-red-400"
                    />
                    {row?.value && <FieldProblem id={`tag-${index}-value-problem`}>{row.value}</FieldProblem>}
                  </div>
                  <Button variant="ghost" size="icon" aria-label={`Remove tag ${index + 1}`} onClick={() => dispatch({ type: 'tag-remove', index })}>
                    <Trash2 aria-hidden="true" />
                  </Button>
                </div>
              );
            })}
          </div>
        )}
        {showProblems && problems.tags.list && <FieldProblem id="tags-problem">{problems.tags.list}</FieldProblem>}
        <Button className="mt-2" onClick={() => dispatch({ type: 'tag-add' })} disabled={draft.tags.length >= MAX_TAGS}>
          <Plus aria-hidden="true" /> Add tag
        </Button>
      </fieldset>
    </div>
  );
}
