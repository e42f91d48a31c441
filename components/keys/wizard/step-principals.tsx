/**
 * Steps 3 and 4: pick key administrators or key users among the account root and the IAM users and roles
 * seen in the region's CloudTrail events, or type any account id or principal ARN.
 */
import { CircleAlert, Plus } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { parsePrincipal } from '@/lib/kms/create-key';
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';
import type { Principal, PrincipalList } from '@/lib/kms/principals';
import { FieldHint, FieldProblem } from './field-message';
import type { PrincipalRole, WizardAction } from './wizard-state';

const KIND_LABELS: Record<Principal['kind'], string> = { root: 'Account root', role: 'IAM role', user: 'IAM user' };

/** A typed ARN shown as a row like those CloudTrail gave. */
function typedRow(arn: string): Principal {
  const [, , service, , account, resource = ''] = arn.split(':');
  const kind = resource === 'root' ? 'root' : resource.startsWith('user/') ? 'user' : 'role';
  const name = resource === 'root' ? account : service === 'sts' ? resource.split('/')[1] : resource.split('/').pop() ?? resource;
  return { arn, kind, name, account };
}

export interface StepPrincipalsProps {
  role: PrincipalRole;
  account: string | null;
  selected: string[];
  typed: string[];
  principals: PrincipalList | undefined;
  loading: boolean;
  error: KmsErrorInfo | null;
  dispatch: (action: WizardAction) => void;
  children?: React.ReactNode;
}

export function StepPrincipals({ role, account, selected, typed, principals, loading, error, dispatch, children }: StepPrincipalsProps) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const noun = role === 'administrators' ? 'administrator' : 'user';
  const known = principals?.principals ?? [];
  const rows = [...known, ...typed.filter((arn) => !known.some((p) => p.arn === arn)).map(typedRow)];
  const inputId = `${role}-typed`;

  const add = () => {
    const parsed = parsePrincipal(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    dispatch({ type: 'principal-typed', role, arn: parsed.arn });
    setText('');
    setProblem(null);
  };

  return (
    <div className="grid gap-5">
      <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        {role === 'administrators'
          ? 'Key administrators manage the key — enable, disable, tag, change its policy, schedule its deletion — but cannot use it for cryptography.'
          : 'Key users use the key in cryptographic operations. They cannot change it. Another account’s root lets that account’s IAM policies decide who there may use it.'}{' '}
        The account root always has full access through the policy’s first statement, so IAM policies in {account ?? 'the account'} apply too.
      </p>

      <div>
        <p id={`${role}-caption`} className="text-sm font-semibold">
          Principals seen in this Region
        </p>
        <FieldHint>
          {principals
            ? `The account root and the IAM users and roles in the Region’s ${principals.eventsRead.toLocaleString('en-US')} most recent KMS and write events in CloudTrail${principals.truncated ? ' (older ones not read)' : ''}.`
            : 'The account root and the IAM users and roles in the Region’s recent KMS and write events in CloudTrail.'}
        </FieldHint>
        {(error || principals?.error) && (
          <p role="alert" className="mt-2 flex max-w-3xl gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-400/30 dark:bg-amber-400/10">
            <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-amber-700 dark:text-amber-300" />
            <span>
              Could not read CloudTrail: <span className="font-mono font-semibold">{(error ?? principals?.error)?.name}</span>: {(error ?? principals?.error)?.message} Type ARNs below instead.
            </span>
          </p>
        )}
        <div className="mt-2 max-w-4xl overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <Table aria-labelledby={`${role}-caption`}>
            <TableHead>
              <tr>
                <TableHeaderCell className="w-10">
                  <span className="sr-only">Selected</span>
                </TableHeaderCell>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Type</TableHeaderCell>
                <TableHeaderCell>ARN</TableHeaderCell>
                <TableHeaderCell>Last seen</TableHeaderCell>
              </tr>
            </TableHead>
            <TableBody>
              {loading && rows.length === 0 && (
                <tr>
                  <TableCell colSpan={5} className="py-3 text-zinc-600 dark:text-zinc-400">
                    Reading CloudTrail…
                  </TableCell>
                </tr>
              )}
              {rows.map((principal) => {
                const checked = selected.includes(principal.arn);
                const id = `${role}-${principal.arn}`;
                return (
                  <TableRow key={principal.arn}>
                    <TableCell className="py-2">
                      <input
                        id={id}
                        type="checkbox"
                        checked={checked}
                        onChange={(event) => dispatch({ type: 'principal-toggle', role, arn: principal.arn, selected: event.target.checked })}
                        aria-label={`Key ${noun}: ${principal.arn}`}
                        className="size-4 accent-amber-600"
                      />
                    </TableCell>
                    <TableCell className="py-2 font-medium">
                      <label htmlFor={id} className="cursor-pointer">
                        {principal.name}
                      </label>
                      {account && principal.account !== account && (
                        <Badge tone="info" className="ml-2">
                          Other account
                        </Badge>
                      )}
                      {typed.includes(principal.arn) && !known.some((p) => p.arn === principal.arn) && (
                        <Badge className="ml-2">Typed</Badge>
                      )}
                    </TableCell>
                    <TableCell className="py-2 whitespace-nowrap">{KIND_LABELS[principal.kind]}</TableCell>
                    <TableCell className="py-2 font-mono text-xs break-all">{principal.arn}</TableCell>
                    <TableCell className="py-2 text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                      {principal.lastSeen ? principal.lastSeen.slice(0, 16).replace('T', ' ') + ' UTC' : '—'}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {selected.length === 0 ? `No key ${noun}s selected: only the account root’s IAM policies will grant access.` : `${selected.length} key ${noun}${selected.length === 1 ? '' : 's'} selected.`}
        </p>
      </div>

      <div>
        <label htmlFor={inputId} className="text-sm font-semibold">
          Add another principal
        </label>
        <FieldHint id={`${inputId}-hint`}>An AWS account id (its root), or the ARN of an IAM user, an IAM role, an account root or an assumed-role session — in this or another account.</FieldHint>
        <form
          className="mt-2 flex max-w-2xl items-start gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <div className="min-w-0 flex-1">
            <Input
              id={inputId}
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                setProblem(null);
              }}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${inputId}-problem ${inputId}-hint` : `${inputId}-hint`}
              placeholder="444455556666 or arn:aws:iam::111122223333:role/app"
              autoComplete="off"
              spellCheck={false}
              className="w-full font-mono aria-invalid:border-red-500 dark:aria-invalid:border-red-400"
            />
            {problem && <FieldProblem id={`${inputId}-problem`}>{problem}</FieldProblem>}
          </div>
          <Button type="submit">
            <Plus aria-hidden="true" /> Add
          </Button>
        </form>
      </div>
      {children}
    </div>
  );
}
