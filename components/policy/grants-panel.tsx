'use client';
/** A key's grants: list, create (validated; the grant token is shown once), retire and revoke. */
import { useGate } from '@/components/auth/user-context';
import { useQuery } from '@tanstack/react-query';
import { Copy, Plus } from 'lucide-react';
import { useId, useState } from 'react';
import { createGrantAction, retireGrantAction, revokeGrantAction } from '@/app/(console)/keys/[keyId]/policy/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format/date';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KnownPrincipal } from '@/lib/kms/key-policy-types';
import { principalLabel } from '@/lib/policy/access';
import { keyPolicyQueries } from '@/lib/queries/key-policy';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { parseContext } from './simulator-panel';

const OPERATIONS_BY_USAGE: Record<string, string[]> = {
  ENCRYPT_DECRYPT: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'GetPublicKey'],
  SIGN_VERIFY: ['Sign', 'Verify', 'GetPublicKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'GetPublicKey'],
};
const COMMON_OPERATIONS = ['DescribeKey', 'CreateGrant', 'RetireGrant'];
const PRINCIPAL = /^(arn:aws[a-z-]*:(iam|sts)::\d{12}:.+|\d{12}|[a-z0-9][a-z0-9.-]*\.amazonaws\.com)$/;

type GrantOperation = Parameters<typeof createGrantAction>[0]['operations'][number];

function constraintText(c: { encryptionContextEquals?: Record<string, string>; encryptionContextSubset?: Record<string, string> } | undefined): string {
  if (!c) return '—';
  const pairs = (r: Record<string, string>) =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  return [c.encryptionContextEquals && `context equals ${pairs(c.encryptionContextEquals)}`, c.encryptionContextSubset && `context includes ${pairs(c.encryptionContextSubset)}`].filter(Boolean).join('; ');
}

function CreateGrantForm({ scope, keyId, keyUsage, account, known, onCreated }: { scope: Scope; keyId: string; keyUsage: string; account: string; known: KnownPrincipal[]; onCreated: (r: { grantId: string; grantToken: string }) => void }) {
  const id = useId();
  const operations = [...(OPERATIONS_BY_USAGE[keyUsage] ?? OPERATIONS_BY_USAGE.ENCRYPT_DECRYPT), ...COMMON_OPERATIONS];
  const [grantee, setGrantee] = useState('');
  const [retiring, setRetiring] = useState('');
  const [ops, setOps] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [constraintKind, setConstraintKind] = useState<'none' | 'equals' | 'subset'>('none');
  const [context, setContext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useActionMutation(createGrantAction, {
    invalidates: () => [keyPolicyQueries.grants(scope, keyId).queryKey, keyPolicyQueries.policy(scope, keyId).queryKey],
    successTitle: () => 'Grant created',
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!PRINCIPAL.test(grantee.trim())) next.grantee = 'Enter the grantee: an IAM or STS ARN, an account id or a service principal.';
    if (retiring.trim() && !PRINCIPAL.test(retiring.trim())) next.retiring = 'Enter an IAM or STS ARN, an account id or a service principal, or leave it empty.';
    if (ops.length === 0) next.operations = 'Choose at least one operation.';
    if (name && !/^[a-zA-Z0-9:/_-]{1,256}$/.test(name)) next.name = 'A grant name may contain only letters, digits and : / _ -.';
    const ctx = parseContext(context);
    if (constraintKind !== 'none') {
      if (!ctx.ok) next.context = ctx.error;
      else if (Object.keys(ctx.value).length === 0) next.context = 'Enter at least one key=value pair, or choose no constraint.';
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const pairs = ctx.ok ? ctx.value : {};
    create.mutate(
      {
        region: scope.region,
        account: scope.account,
        keyId,
        granteePrincipal: grantee.trim(),
        ...(retiring.trim() ? { retiringPrincipal: retiring.trim() } : {}),
        operations: ops as GrantOperation[],
        ...(name ? { name } : {}),
        ...(constraintKind === 'equals' ? { encryptionContextEquals: pairs } : constraintKind === 'subset' ? { encryptionContextSubset: pairs } : {}),
      },
      { onSuccess: onCreated },
    );
  };

  const err = (key: string) =>
    errors[key] && (
      <p id={`${id}-${key}-error`} className="text-xs text-red-700 dark:text-red-300">
        {errors[key]}
      </p>
    );
  const principals = known.filter((k) => !k.id.endsWith(':root') || k.id.includes(account));
  return (
    <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-3 text-sm">
      <datalist id={`${id}-principals`}>
        {principals.map((k) => (
          <option key={k.id} value={k.id}>
            {k.label}
          </option>
        ))}
      </datalist>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Grantee principal</span>
        <Input list={`${id}-principals`} className="font-mono text-xs" value={grantee} onChange={(e) => setGrantee(e.target.value)} aria-invalid={errors.grantee ? true : undefined} aria-describedby={errors.grantee ? `${id}-grantee-error` : undefined} />
        {err('grantee')}
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Retiring principal (optional)</span>
        <Input list={`${id}-principals`} className="font-mono text-xs" value={retiring} onChange={(e) => setRetiring(e.target.value)} aria-invalid={errors.retiring ? true : undefined} aria-describedby={errors.retiring ? `${id}-retiring-error` : undefined} />
        {err('retiring')}
      </label>
      <fieldset aria-describedby={errors.operations ? `${id}-operations-error` : undefined}>
        <legend className="font-medium">Operations</legend>
        <div className="mt-1 grid grid-cols-2 gap-1">
          {operations.map((op) => (
            <label key={op} className="flex items-center gap-1.5">
              <input type="checkbox" className="accent-zinc-900 dark:accent-zinc-100" checked={ops.includes(op)} onChange={(e) => setOps(e.target.checked ? [...ops, op] : ops.filter((o) => o !== op))} />
              <span className="font-mono text-xs">{op}</span>
            </label>
          ))}
        </div>
        {err('operations')}
      </fieldset>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Name (optional, makes retries idempotent)</span>
        <Input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? `${id}-name-error` : undefined} />
        {err('name')}
      </label>
      <div className="grid grid-cols-[auto_1fr] items-center gap-2">
        <label htmlFor={`${id}-constraint`} className="font-medium">
          Constraint
        </label>
        <Select id={`${id}-constraint`} value={constraintKind} onChange={(e) => setConstraintKind(e.target.value as 'none' | 'equals' | 'subset')}>
          <option value="none">None</option>
          <option value="equals">Encryption context equals</option>
          <option value="subset">Encryption context includes</option>
        </Select>
      </div>
      {constraintKind !== 'none' && (
        <label className="flex flex-col gap-1">
          <span className="font-medium">Encryption context pairs</span>
          <Input className="font-mono text-xs" placeholder="app=orders, env=prod" value={context} onChange={(e) => setContext(e.target.value)} aria-invalid={errors.context ? true : undefined} aria-describedby={errors.context ? `${id}-context-error` : undefined} />
          {err('context')}
        </label>
      )}
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button>Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create grant'}
        </Button>
      </div>
    </form>
  );
}

export function GrantsPanel({ scope, keyId, keyArn, keyUsage, account, known }: { scope: Scope; keyId: string; keyArn: string; keyUsage: string; account: string; known: KnownPrincipal[] }) {
  const canChange = useGate('operator');
  const grants = useQuery(keyPolicyQueries.grants(scope, keyId));
  const [open, setOpen] = useState(false);
  const [token, setToken] = useState<{ grantId: string; grantToken: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const invalidates = () => [keyPolicyQueries.grants(scope, keyId).queryKey, keyPolicyQueries.policy(scope, keyId).queryKey];
  const revoke = useActionMutation(revokeGrantAction, { invalidates, successTitle: (r) => `Grant ${r.grantId.slice(0, 12)}… revoked` });
  const retire = useActionMutation(retireGrantAction, { invalidates, successTitle: (r) => `Grant ${r.grantId.slice(0, 12)}… retired` });
  const rows = grants.data ?? [];

  return (
    <section aria-labelledby="grants-title" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="grants-title" className="text-sm font-semibold">
          Grants <span className="font-normal text-zinc-600 dark:text-zinc-400">({rows.length})</span>
        </h2>
        <Dialog open={open} onOpenChange={setOpen}>
          <Button onClick={() => setOpen(true)} disabled={!canChange.allowed} title={canChange.reason}>
            <Plus aria-hidden="true" /> Create grant
          </Button>
          <DialogContent title="Create grant" description="A grant lets a principal use the key for the chosen operations, alongside the key policy." className="top-[8vh] max-h-[84vh] overflow-y-auto">
            <CreateGrantForm
              scope={scope}
              keyId={keyId}
              keyUsage={keyUsage}
              account={account}
              known={known}
              onCreated={(r) => {
                setToken(r);
                setCopied(false);
                setOpen(false);
              }}
            />
          </DialogContent>
        </Dialog>
      </div>
      {token && (
        <div role="status" aria-label="New grant token" className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-500/40 dark:bg-amber-500/10">
          <p className="font-medium">
            Grant <span className="font-mono text-xs">{token.grantId}</span> created. Its grant token is shown only now:
          </p>
          <p className="mt-1 font-mono text-xs break-all" aria-label="Grant token">
            {token.grantToken}
          </p>
          <div className="mt-2 flex gap-2">
            <Button
              size="sm"
              onClick={() => {
                void navigator.clipboard?.writeText(token.grantToken).then(() => setCopied(true));
              }}
            >
              <Copy aria-hidden="true" /> {copied ? 'Copied' : 'Copy token'}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setToken(null)}>
              Done, hide it
            </Button>
          </div>
        </div>
      )}
      {grants.error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
          <span className="font-mono font-semibold">{grants.error.name}</span>: {grants.error.message}
        </p>
      )}
      {rows.length === 0 && !grants.isLoading && !grants.error && <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No grants on this key.</p>}
      {rows.length > 0 && (
        <div className="mt-2 overflow-x-auto rounded-md focus-visible:outline-2 focus-visible:outline-amber-500" tabIndex={0} role="group" aria-label="Grants table, scrolls sideways">
          <Table aria-labelledby="grants-title">
            <TableHead>
              <TableRow>
                <TableHeaderCell scope="col">Grantee</TableHeaderCell>
                <TableHeaderCell scope="col">Retiring principal</TableHeaderCell>
                <TableHeaderCell scope="col">Operations</TableHeaderCell>
                <TableHeaderCell scope="col">Constraints</TableHeaderCell>
                <TableHeaderCell scope="col">Created</TableHeaderCell>
                <TableHeaderCell scope="col">
                  <span className="sr-only">Actions</span>
                </TableHeaderCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((g) => (
                <TableRow key={g.grantId}>
                  <TableCell className="py-2 align-top">
                    <span className="block font-medium">{principalLabel(g.granteePrincipal, account)}</span>
                    <span className="block font-mono text-[11px] text-zinc-600 dark:text-zinc-400">{g.name ? `${g.name} · ` : ''}{g.grantId.slice(0, 16)}…</span>
                  </TableCell>
                  <TableCell className="py-2 align-top">{g.retiringPrincipal ? principalLabel(g.retiringPrincipal, account) : '—'}</TableCell>
                  <TableCell className="py-2 align-top">
                    <span className="flex flex-wrap gap-1">
                      {g.operations.map((o) => (
                        <Badge key={o}>{o}</Badge>
                      ))}
                    </span>
                  </TableCell>
                  <TableCell className="py-2 align-top text-xs">{constraintText(g.constraints)}</TableCell>
                  <TableCell className="py-2 align-top text-xs whitespace-nowrap">{g.createdAt ? formatDateTime(g.createdAt) : '—'}</TableCell>
                  <TableCell className="py-2 align-top">
                    <span className="flex gap-1">
                      <Button size="sm" variant="ghost" aria-label={`Retire grant ${g.grantId}`} disabled={retire.isPending || !canChange.allowed} title={canChange.reason} onClick={() => retire.mutate({ region: scope.region, account: scope.account, keyId: keyArn, grantId: g.grantId })}>
                        Retire
                      </Button>
                      <Button size="sm" variant="ghost" className="text-red-700 dark:text-red-300" aria-label={`Revoke grant ${g.grantId}`} disabled={revoke.isPending || !canChange.allowed} title={canChange.reason} onClick={() => revoke.mutate({ region: scope.region, account: scope.account, keyId: keyArn, grantId: g.grantId })}>
                        Revoke
                      </Button>
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
