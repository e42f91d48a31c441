'use client';
/** The default view: key administrators, key users (other accounts too) and the grants option, like the AWS console's, but live. */
import { X } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { KnownPrincipal } from '@/lib/kms/key-policy-types';
import { principalLabel } from '@/lib/policy/access';
import type { ConsoleViewReading } from '@/lib/policy/default-view';
import { PrincipalPicker } from './principal-picker';

export interface DefaultViewValue {
  administrators: string[];
  users: string[];
  allowGrantsForAwsResources: boolean;
}

function PrincipalList({ title, help, items, account, known, onChange }: { title: string; help: string; items: string[]; account: string; known: KnownPrincipal[]; onChange: (items: string[]) => void }) {
  return (
    <fieldset className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{help}</p>
      {items.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">None.</p>
      ) : (
        <ul className="mt-2 flex flex-col gap-1" aria-label={title}>
          {items.map((arn) => (
            <li key={arn} className="flex items-center justify-between gap-2 rounded-md bg-zinc-50 px-2 py-1 text-sm dark:bg-zinc-800/60">
              <span className="min-w-0">
                <span className="font-medium">{principalLabel(arn, account)}</span>{' '}
                <span className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{arn}</span>
                {!arn.includes(`::${account}:`) && (
                  <Badge tone="warning" className="ml-2">
                    other account
                  </Badge>
                )}
              </span>
              <Button variant="ghost" size="sm" aria-label={`Remove ${principalLabel(arn, account)} from ${title.toLowerCase()}`} onClick={() => onChange(items.filter((i) => i !== arn))}>
                <X aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
      )}
      <PrincipalPicker known={known} exclude={items} label={title} onPick={(arn) => onChange([...items, arn])} />
    </fieldset>
  );
}

export function DefaultViewPanel({
  reading,
  account,
  known,
  grantsSupported,
  onChange,
  onShowStatement,
}: {
  reading: ConsoleViewReading;
  account: string;
  known: KnownPrincipal[];
  grantsSupported: boolean;
  onChange: (value: DefaultViewValue) => void;
  onShowStatement: (index: number) => void;
}) {
  const value: DefaultViewValue = { administrators: reading.administrators, users: reading.users, allowGrantsForAwsResources: reading.allowGrantsForAwsResources };
  return (
    <div className="flex flex-col gap-4">
      {!reading.rootStatement && (
        <p role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-500/40 dark:bg-amber-500/10">
          This policy has no &ldquo;Enable IAM User Permissions&rdquo; statement for the account root. Editing here adds it back, so IAM policies apply and the key cannot be orphaned.
        </p>
      )}
      <PrincipalList
        title="Key administrators"
        help="Manage the key (policy, rotation, deletion, tags), never use it."
        items={reading.administrators}
        account={account}
        known={known}
        onChange={(administrators) => onChange({ ...value, administrators })}
      />
      <PrincipalList
        title="Key users"
        help="Use the key for cryptographic operations; may be roles or roots of other accounts."
        items={reading.users}
        account={account}
        known={known}
        onChange={(users) => onChange({ ...value, users })}
      />
      {grantsSupported && (
        <label className="flex items-start gap-2 rounded-xl border border-zinc-200 p-4 text-sm dark:border-zinc-800">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-zinc-900 dark:accent-zinc-100"
            checked={reading.allowGrantsForAwsResources}
            disabled={reading.users.length === 0}
            onChange={(e) => onChange({ ...value, allowGrantsForAwsResources: e.target.checked })}
          />
          <span>
            <span className="font-medium">Allow AWS services to use the key through grants</span>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">Lets key users create grants for AWS resources (EBS, RDS …), limited by kms:GrantIsForAWSResource.</span>
          </span>
        </label>
      )}
      {reading.custom.length > 0 && (
        <section aria-labelledby="custom-statements" className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
          <h3 id="custom-statements" className="text-sm font-semibold">
            Custom statements, edit in JSON
          </h3>
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {reading.custom.map((c) => (
              <li key={c.index} className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <span className="font-medium">{c.sid ? `“${c.sid}”` : `Statement ${c.index + 1}`}</span> <span className="text-zinc-600 dark:text-zinc-400">— {c.reason}</span>
                </span>
                <Button variant="ghost" size="sm" onClick={() => onShowStatement(c.index)}>
                  Show in JSON
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
