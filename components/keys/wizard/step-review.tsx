/** Step 5: everything chosen, and the key policy the wizard will send, checked by lib/policy's parser. */
import { CircleAlert, CircleCheck, Pencil } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { algorithmsOf, draftPolicy, fullAlias, type KeyDraft } from '@/lib/kms/create-key';
import { ORIGIN_LABELS, USAGE_LABELS } from '@/lib/kms/labels';
import { supportsGrantsForAwsResources } from '@/lib/policy/default-view';
import { parsePolicy } from '@/lib/policy/parse';
import type { StepId } from './wizard-state';

const TYPE_LABELS = { symmetric: 'Symmetric', asymmetric: 'Asymmetric', hmac: 'HMAC' } as const;

function Section({ title, step, onEdit, children }: { title: string; step: StepId; onEdit: (step: StepId) => void; children: React.ReactNode }) {
  const id = `review-${step}`;
  return (
    <section aria-labelledby={id} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex items-center justify-between gap-2">
        <h3 id={id} className="text-sm font-semibold">
          {title}
        </h3>
        <Button variant="ghost" size="sm" onClick={() => onEdit(step)} aria-label={`Edit ${title.toLowerCase()}`}>
          <Pencil aria-hidden="true" /> Edit
        </Button>
      </div>
      <dl className="mt-2 grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5 text-sm">{children}</dl>
    </section>
  );
}

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-zinc-600 dark:text-zinc-400">{name}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

const arnList = (arns: string[]) =>
  arns.length === 0 ? (
    <span className="text-zinc-600 dark:text-zinc-400">None</span>
  ) : (
    <ul className="grid gap-0.5 font-mono text-xs">
      {arns.map((arn) => (
        <li key={arn} className="break-all">
          {arn}
        </li>
      ))}
    </ul>
  );

export function StepReview({ draft, region, account, onEdit }: { draft: KeyDraft; region: string; account: string | null; onEdit: (step: StepId) => void }) {
  const policyText = account ? JSON.stringify(draftPolicy(draft, account), null, 2) : null;
  const parsed = policyText ? parsePolicy(policyText, { kind: 'key-policy' }) : null;
  const grants = supportsGrantsForAwsResources(draft.keyUsage, draft.keySpec);
  return (
    <div className="grid gap-4">
      <Section title="Key configuration" step="configure" onEdit={onEdit}>
        <Field name="Region">
          <span className="font-mono">{region}</span>
        </Field>
        <Field name="Key type">{TYPE_LABELS[draft.keyType]}</Field>
        <Field name="Key spec">
          <span className="font-mono">{draft.keySpec}</span>
        </Field>
        <Field name="Key usage">{USAGE_LABELS[draft.keyUsage]}</Field>
        <Field name="Algorithms">
          <span className="font-mono text-xs">{algorithmsOf(draft.keySpec, draft.keyUsage).join(', ')}</span>
        </Field>
        <Field name="Origin">{draft.origin === 'EXTERNAL' ? 'External — the key starts Pending import' : ORIGIN_LABELS.AWS_KMS}</Field>
        <Field name="Regionality">{draft.multiRegion ? 'Multi-Region (primary key)' : 'Single-Region'}</Field>
      </Section>
      <Section title="Labels" step="labels" onEdit={onEdit}>
        <Field name="Alias">
          <span className="font-mono">{fullAlias(draft.alias)}</span>
        </Field>
        <Field name="Description">{draft.description || <span className="text-zinc-600 dark:text-zinc-400">None</span>}</Field>
        <Field name="Tags">
          {draft.tags.length === 0 ? (
            <span className="text-zinc-600 dark:text-zinc-400">None</span>
          ) : (
            <ul className="flex flex-wrap gap-1">
              {draft.tags.map((tag) => (
                <li key={tag.key} className="rounded-md bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
                  {tag.key}={tag.value}
                </li>
              ))}
            </ul>
          )}
        </Field>
      </Section>
      <Section title="Key administrators" step="administrators" onEdit={onEdit}>
        <Field name="Administrators">{arnList(draft.administrators)}</Field>
      </Section>
      <Section title="Key users" step="users" onEdit={onEdit}>
        <Field name="Users">{arnList(draft.users)}</Field>
        {grants && <Field name="Grants for AWS resources">{draft.allowGrantsForAwsResources && draft.users.length > 0 ? 'Allowed' : 'Not allowed'}</Field>}
      </Section>

      <section aria-labelledby="review-policy" className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="review-policy" className="text-sm font-semibold">
            Key policy
          </h3>
          {parsed?.ok && (
            <span className="inline-flex items-center gap-1 text-sm text-emerald-700 dark:text-emerald-400">
              <CircleCheck aria-hidden="true" className="size-4" /> Valid key policy · {new TextEncoder().encode(policyText ?? '').length.toLocaleString('en-US')} of 32,768 bytes
            </span>
          )}
        </div>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">The policy the AWS console writes for these choices. You can edit it on the key’s page after creation.</p>
        {parsed && !parsed.ok && (
          <ul role="alert" className="mt-2 grid gap-1 text-sm text-red-700 dark:text-red-400">
            {parsed.errors.map((error, i) => (
              <li key={i} className="flex gap-1">
                <CircleAlert aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" /> Line {error.line}, column {error.column}: {error.message}
              </li>
            ))}
          </ul>
        )}
        {policyText ? (
          <pre
            tabIndex={0}
            aria-label="Key policy JSON"
            className="mt-3 max-h-96 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs leading-relaxed text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
          >
            {policyText}
          </pre>
        ) : (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            The account id is unknown, so the policy cannot be shown; Create will try to find it again.
          </p>
        )}
      </section>
    </div>
  );
}
