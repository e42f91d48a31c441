'use client';
/**
 * The key policy editor, self-contained for a `{ scope, keyId }`: default view and JSON view kept in
 * sync through the draft text, lint findings, the simulator, the access table, review before save,
 * and the history of saves (what each changed) with restore. The key detail page's Key policy tab
 * loads it when the tab opens; the key's grants have a tab of their own (GrantsPanel).
 */
import { useGate } from '@/components/auth/user-context';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useCallback, useMemo, useState } from 'react';
import { savePolicyAction } from '@/app/(console)/keys/[keyId]/policy/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { formatDateTime } from '@/lib/format/date';
import type { Scope } from '@/lib/kms/inventory-types';
import { keyFactsOf, type GrantRow, type KeyPolicyPayload, type PolicyHistoryEntry } from '@/lib/kms/key-policy-types';
import { parsePolicy, type DecidingStatement, type GrantLike, type KeyFacts, type PolicyDocument } from '@/lib/policy';
import { accessDelta, accessTable, principalLabel, principalsInPolicy, type AccessPrincipal } from '@/lib/policy/access';
import { readConsoleView, supportsGrantsForAwsResources, writeConsoleView, type ConsoleKeyUsage } from '@/lib/policy/default-view';
import { lintPolicy } from '@/lib/policy/lint';
import { describePolicyChange, policyChange } from '@/lib/policy/version-summary';
import { keyPolicyQueries } from '@/lib/queries/key-policy';
import { useActionMutation } from '@/lib/queries/use-action-mutation';
import { AccessTable } from './access-table';
import { DefaultViewPanel, type DefaultViewValue } from './default-view-panel';
import type { EditorDiagnostic } from './json-editor';
import { LintPanel } from './lint-panel';
import { ReviewDialogContent } from './review-dialog';
import { SimulatorPanel } from './simulator-panel';

// CodeMirror (112 KB gzip) loads only when the editor shows, after the page is interactive.
const JsonEditor = dynamic(() => import('./json-editor'), {
  ssr: false,
  loading: () => <div className="h-[24rem] animate-pulse rounded-lg border border-zinc-300 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900" role="status" aria-label="Loading the JSON editor" />,
});

const USAGES: ConsoleKeyUsage[] = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];

function toGrantLike(rows: GrantRow[]): GrantLike[] {
  return rows.map((g) => ({ grantId: g.grantId, granteePrincipal: g.granteePrincipal, operations: g.operations, ...(g.constraints ? { constraints: g.constraints } : {}) }));
}

function parseIdentity(texts: string[] | undefined): PolicyDocument[] | undefined {
  return texts?.map((t) => parsePolicy(t, { kind: 'identity-policy' })).flatMap((r) => (r.ok ? [r.policy] : []));
}

export function KeyPolicyEditor({ scope, keyId }: { scope: Scope; keyId: string }) {
  const query = useQuery(keyPolicyQueries.policy(scope, keyId));
  // A failed reload keeps the last policy on screen (with the draft) under the error.
  const error = query.error && (
    <p role="alert" className="mb-4 rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
      <span className="font-mono font-semibold">{query.error.name}</span>: {query.error.message}
    </p>
  );
  if (!query.data) return error ?? <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the key policy…</p>;
  return (
    <>
      {error}
      <Workspace key={query.data.keyArn} scope={scope} payload={query.data} />
    </>
  );
}

function Workspace({ scope, payload }: { scope: Scope; payload: KeyPolicyPayload }) {
  const canSave = useGate('admin');
  const grantsQuery = useQuery(keyPolicyQueries.grants(scope, payload.keyId));
  const [base, setBase] = useState(payload.policy);
  const [draft, setDraft] = useState(payload.policy);
  const [tab, setTab] = useState<'default' | 'json'>('default');
  const [highlights, setHighlights] = useState<{ line: number; column: number; effect: 'Allow' | 'Deny' }[]>([]);
  const [focusAt, setFocusAt] = useState<{ line: number; column: number; nonce: number }>();
  const [reviewOpen, setReviewOpen] = useState(false);
  const [lockout, setLockout] = useState<string | null>(null);

  // The saved policy moved (saved here, or elsewhere and refetched): follow it unless there are unsaved edits.
  if (payload.policy !== base) {
    setBase(payload.policy);
    if (draft === base) setDraft(payload.policy);
  }

  const lintOptions = useMemo(() => ({ keyAccount: payload.account }), [payload.account]);
  const draftParse = useMemo(() => parsePolicy(draft), [draft]);
  const savedParse = useMemo(() => parsePolicy(base), [base]);
  const draftFindings = useMemo(() => lintPolicy(draftParse, draft, lintOptions), [draftParse, draft, lintOptions]);
  const savedFindings = useMemo(() => lintPolicy(savedParse, base, lintOptions), [savedParse, base, lintOptions]);
  const draftPolicy = draftParse.ok ? draftParse.policy : undefined;
  const savedPolicy = savedParse.ok ? savedParse.policy : undefined;
  const grants = useMemo(() => toGrantLike(grantsQuery.data ?? []), [grantsQuery.data]);

  const keyUsage = (USAGES.includes(payload.keyUsage as ConsoleKeyUsage) ? payload.keyUsage : 'ENCRYPT_DECRYPT') as ConsoleKeyUsage;
  // What KMS puts in every request's condition keys about this key (kms:KeySpec, kms:KeyUsage …).
  const keyFacts: KeyFacts = useMemo(() => keyFactsOf(payload), [payload]);
  const reading = useMemo(() => (draftPolicy ? readConsoleView(draftPolicy, { account: payload.account, keyUsage, keySpec: payload.keySpec }) : undefined), [draftPolicy, payload.account, keyUsage, payload.keySpec]);

  const principals: AccessPrincipal[] = useMemo(() => {
    const list = new Map<string, AccessPrincipal>();
    for (const k of payload.knownPrincipals) {
      list.set(k.id, { id: k.id, label: k.label, sources: [...k.sources], identityPolicies: parseIdentity(k.identityPolicies) });
    }
    // Principals only the draft names: their IAM policies are unknown here (a root needs none).
    for (const id of draftPolicy ? principalsInPolicy(draftPolicy) : []) {
      if (!list.has(id)) list.set(id, { id, label: principalLabel(id, payload.account), sources: ['policy'], identityPolicies: id.endsWith(':root') ? [] : undefined });
    }
    return [...list.values()];
  }, [payload.knownPrincipals, payload.account, draftPolicy]);
  const rows = useMemo(() => {
    const policy = draftPolicy ?? savedPolicy;
    return policy ? accessTable({ policy, keyArn: payload.keyArn, key: keyFacts, grants, principals }) : [];
  }, [draftPolicy, savedPolicy, payload.keyArn, keyFacts, grants, principals]);

  const diagnostics: EditorDiagnostic[] = useMemo(
    () => [
      ...(draftParse.ok ? [] : draftParse.errors.map((e) => ({ line: e.line, column: e.column, severity: 'error' as const, message: e.message }))),
      ...draftFindings.map((f) => ({ line: f.line, column: f.column, severity: f.severity, message: `${f.message} Fix: ${f.fix}` })),
    ],
    [draftParse, draftFindings],
  );

  const onDefaultViewChange = (value: DefaultViewValue) => {
    if (!reading) return;
    let original: unknown;
    try {
      original = JSON.parse(draft);
    } catch {
      return;
    }
    const next = writeConsoleView(original, reading.custom, { account: payload.account, keyUsage, keySpec: payload.keySpec, ...value });
    setDraft(JSON.stringify(next, null, 2));
  };

  const goTo = useCallback((line: number, column: number) => {
    setTab('json');
    setFocusAt({ line, column, nonce: Date.now() });
  }, []);

  const onDecision = (statements: DecidingStatement[], target: 'draft' | 'saved') => {
    // Highlights point into the editor's text, which is the draft; for the saved policy only when they match.
    if (target === 'saved' && draft !== base) return setHighlights([]);
    setHighlights(statements.map((s) => ({ line: s.location.line, column: s.location.column, effect: s.effect })));
  };

  const save = useActionMutation(savePolicyAction, {
    invalidates: () => [keyPolicyQueries.policy(scope, payload.keyId).queryKey],
    successTitle: (r) => (r.status === 'saved' ? 'Key policy saved' : 'Not saved'),
  });

  const accessChanges = useMemo(() => {
    if (!reviewOpen || !draftPolicy || !savedPolicy) return [];
    return accessDelta({ policy: savedPolicy, keyArn: payload.keyArn, key: keyFacts, grants }, { policy: draftPolicy, keyArn: payload.keyArn, key: keyFacts, grants }, principals);
  }, [reviewOpen, draftPolicy, savedPolicy, payload.keyArn, keyFacts, grants, principals]);

  const onSave = (bypassLockoutCheck: boolean) => {
    save.mutate(
      { region: scope.region, account: scope.account, keyId: payload.keyArn, policy: draft, bypassLockoutCheck },
      {
        onSuccess: (result) => {
          if (result.status === 'lockout') setLockout(result.explanation);
          else {
            setLockout(null);
            setReviewOpen(false);
            setBase(result.entry.policy);
          }
        },
      },
    );
  };

  const restore = (entry: PolicyHistoryEntry) => {
    setDraft(entry.policy);
    setLockout(null);
    setReviewOpen(true);
  };

  // What each saved version changed against the one before it (the list is newest first).
  const summaries = useMemo(() => payload.history.map((entry, i) => (i + 1 < payload.history.length ? describePolicyChange(policyChange(payload.history[i + 1].policy, entry.policy, payload.account)) : null)), [payload.history, payload.account]);

  const dirty = draft !== base;
  const grantsSupported = supportsGrantsForAwsResources(keyUsage, payload.keySpec);

  return (
    <div className="flex flex-col gap-4">
      {!canSave.allowed && (
        <p role="note" className="rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm dark:border-sky-500/40 dark:bg-sky-500/10">
          <strong>Read-only for your role.</strong> Saving a key policy, and bypassing the lockout check, needs the admin role. You can still edit a draft here to
          lint it and simulate access; it is not saved.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2 text-sm">
        {dirty ? <Badge tone="warning">Unsaved changes</Badge> : <Badge tone="success">Saved</Badge>}
        {!draftParse.ok && <Badge tone="danger">{draftParse.errors.length === 1 ? '1 error' : `${draftParse.errors.length} errors`}</Badge>}
        <span className="text-zinc-600 dark:text-zinc-400">
          Saving as <span className="font-mono text-xs">{payload.caller}</span>
        </span>
        <span className="ml-auto flex gap-2">
          <Button disabled={!dirty} onClick={() => setDraft(base)}>
            Discard changes
          </Button>
          <Dialog
            open={reviewOpen}
            onOpenChange={(open) => {
              setReviewOpen(open);
              if (!open) setLockout(null);
            }}
          >
            <Button variant="primary" disabled={!dirty || !draftParse.ok || !canSave.allowed} title={canSave.reason} onClick={() => setReviewOpen(true)}>
              Review changes
            </Button>
            {reviewOpen && (
              <ReviewDialogContent
                saved={base}
                draft={draft}
                savedFindings={savedFindings}
                draftFindings={draftFindings}
                accessChanges={accessChanges}
                saving={save.isPending}
                lockout={lockout}
                onSave={onSave}
              />
            )}
          </Dialog>
        </span>
      </div>

      <div className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Tabs value={tab} onValueChange={(v) => setTab(v as 'default' | 'json')} className="min-w-0 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <TabsList aria-label="Policy views">
            <TabsTrigger value="default">Default view</TabsTrigger>
            <TabsTrigger value="json">Policy view</TabsTrigger>
          </TabsList>
          <TabsContent value="default" className="pt-4">
            {reading ? (
              <DefaultViewPanel reading={reading} account={payload.account} known={payload.knownPrincipals} grantsSupported={grantsSupported} onChange={onDefaultViewChange} onShowStatement={(i) => draftPolicy && goTo(draftPolicy.statements.find((s) => s.index === i)?.location.line ?? 1, 1)} />
            ) : (
              <p role="note" className="text-sm">
                The policy JSON has errors, so the default view cannot show it. Fix them in the Policy view.
              </p>
            )}
          </TabsContent>
          {/* Kept mounted while hidden, so switching views keeps the editor's undo history. */}
          <TabsContent value="json" forceMount className="pt-4">
            <JsonEditor value={draft} onChange={setDraft} diagnostics={diagnostics} highlights={highlights} focusAt={focusAt} label="Key policy JSON" />
          </TabsContent>
        </Tabs>
        <div className="flex min-w-0 flex-col gap-4">
          <LintPanel errors={draftParse.ok ? [] : draftParse.errors} findings={draftFindings} onGoTo={goTo} />
          <SimulatorPanel known={payload.knownPrincipals} draft={draftPolicy} saved={savedPolicy} keyArn={payload.keyArn} keyFacts={keyFacts} grants={grants} onDecision={onDecision} />
        </div>
      </div>

      <AccessTable rows={rows} basis={draftPolicy ? (dirty ? 'with the unsaved draft' : 'with the saved policy') : 'with the saved policy; the draft does not parse'} />

      <section aria-labelledby="history-title" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="history-title" className="text-sm font-semibold">
          Version history <span className="font-normal text-zinc-600 dark:text-zinc-400">(policies saved from this console)</span>
        </h2>
        {payload.history.length === 0 ? (
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">No saves from this console yet.</p>
        ) : (
          <ol className="mt-2 flex flex-col gap-1 text-sm" aria-label="Saved versions">
            {payload.history.map((entry, i) => (
              <li key={entry.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md px-2 py-1 hover:bg-zinc-50 dark:hover:bg-zinc-800/60">
                <span className="min-w-0">
                  <span className="font-medium">{formatDateTime(entry.savedAt)}</span>{' '}
                  <span className="text-zinc-600 dark:text-zinc-400">
                    {entry.kind === 'before-first-save' ? 'the policy before this console first changed it' : `saved by ${entry.by}`}
                  </span>{' '}
                  {i === 0 && entry.policy === base && <Badge tone="success">current</Badge>}
                  {entry.bypassLockoutCheck && <Badge tone="danger">lockout check bypassed</Badge>}
                  {summaries[i] && (
                    <span className="mt-0.5 block text-xs text-zinc-700 dark:text-zinc-300">
                      {summaries[i].join(' · ')}
                    </span>
                  )}
                </span>
                <Button size="sm" disabled={entry.policy === draft} aria-label={`Restore the version of ${formatDateTime(entry.savedAt)}${entry.kind === 'before-first-save' ? ' (before the first save)' : ''}`} onClick={() => restore(entry)}>
                  Restore this version
                </Button>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
