'use client';
/** The access simulator: a principal, an action and the request's context → Allow or Deny, with the deciding statements. */
import { useId, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { KnownPrincipal } from '@/lib/kms/key-policy-types';
import { parsePolicy, type DecidingStatement, type GrantLike, type KeyFacts, type PolicyDocument } from '@/lib/policy';
import { simulate, TABLE_ACTIONS, type SimulationResult } from '@/lib/policy/access';
import { KMS_ACTIONS } from '@/lib/policy/lint-vocabulary';

const ACTIONS = [...new Set([...TABLE_ACTIONS, ...KMS_ACTIONS])];

/** `app=orders, env=prod` → { app: 'orders', env: 'prod' }; an error names the pair it cannot read. */
export function parseContext(text: string): { ok: true; value: Record<string, string> } | { ok: false; error: string } {
  const value: Record<string, string> = {};
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, error: `“${part}” is not key=value.` };
    value[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { ok: true, value };
}

export function SimulatorPanel({
  known,
  draft,
  saved,
  keyArn,
  keyFacts,
  grants,
  onDecision,
}: {
  known: KnownPrincipal[];
  draft: PolicyDocument | undefined;
  saved: PolicyDocument | undefined;
  keyArn: string;
  /** The key's spec, usage …: KMS gives them to every request's conditions. */
  keyFacts?: KeyFacts;
  grants: GrantLike[];
  onDecision: (statements: DecidingStatement[], target: 'draft' | 'saved') => void;
}) {
  const id = useId();
  const [principal, setPrincipal] = useState(known.find((k) => k.id.includes(':assumed-role/app'))?.id ?? known[0]?.id ?? '');
  const [typed, setTyped] = useState('');
  const [action, setAction] = useState('kms:Decrypt');
  const [context, setContext] = useState('');
  const [viaService, setViaService] = useState('');
  const [sourceIp, setSourceIp] = useState('');
  const [target, setTarget] = useState<'draft' | 'saved'>('draft');
  const [result, setResult] = useState<(SimulationResult & { principal: string; target: 'draft' | 'saved' }) | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = () => {
    const who = typed.trim() || principal;
    if (!who) return setError('Choose a principal or type an ARN.');
    if (typed.trim() && !/^(arn:aws[a-z-]*:(iam|sts)::\d{12}:.+|\d{12}|[a-z0-9.-]+\.amazonaws\.com)$/.test(typed.trim())) return setError('Type an IAM or STS ARN, an account id or a service principal.');
    const ctx = parseContext(context);
    if (!ctx.ok) return setError(`Encryption context: ${ctx.error}`);
    const policy = target === 'draft' ? draft : saved;
    if (!policy) return setError('The draft does not parse; fix it or simulate on the saved policy.');
    const entry = known.find((k) => k.id === who);
    const identityPolicies = entry?.identityPolicies
      ?.map((t) => parsePolicy(t, { kind: 'identity-policy' }))
      .flatMap((r) => (r.ok ? [r.policy] : []));
    setError(null);
    const outcome = simulate({ principal: who, action, encryptionContext: ctx.value, viaService: viaService.trim() || undefined, sourceIp: sourceIp.trim() || undefined }, { policy, keyArn, key: keyFacts, grants, identityPolicies });
    setResult({ ...outcome, principal: who, target });
    onDecision(outcome.decision.statements.filter((s) => s.source === 'key-policy'), target);
  };

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id={`${id}-title`} className="text-sm font-semibold">
        Access simulator
      </h2>
      <div className="mt-3 grid grid-cols-1 gap-2 text-sm sm:grid-cols-[8rem_1fr] sm:items-center">
        <label htmlFor={`${id}-principal`}>Principal</label>
        <Select id={`${id}-principal`} value={principal} onChange={(e) => setPrincipal(e.target.value)}>
          {known.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </Select>
        <label htmlFor={`${id}-typed`}>or ARN</label>
        <Input id={`${id}-typed`} className="font-mono text-xs" placeholder="arn:aws:iam::111122223333:role/name" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <label htmlFor={`${id}-action`}>Action</label>
        <Select id={`${id}-action`} value={action} onChange={(e) => setAction(e.target.value)}>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
        <label htmlFor={`${id}-context`}>Encryption context</label>
        <Input id={`${id}-context`} className="font-mono text-xs" placeholder="app=orders, env=prod" value={context} onChange={(e) => setContext(e.target.value)} />
        <label htmlFor={`${id}-via`}>Via service</label>
        <Input id={`${id}-via`} className="font-mono text-xs" placeholder="s3.us-east-1.amazonaws.com" value={viaService} onChange={(e) => setViaService(e.target.value)} />
        <label htmlFor={`${id}-ip`}>Source IP</label>
        <Input id={`${id}-ip`} className="font-mono text-xs" placeholder="203.0.113.10" value={sourceIp} onChange={(e) => setSourceIp(e.target.value)} />
        <span>Policy</span>
        <div role="radiogroup" aria-label="Policy to simulate" className="flex gap-4">
          {(['draft', 'saved'] as const).map((t) => (
            <label key={t} className="flex items-center gap-1.5">
              <input type="radio" name={`${id}-target`} checked={target === t} onChange={() => setTarget(t)} className="accent-zinc-900 dark:accent-zinc-100" />
              {t === 'draft' ? 'Unsaved draft' : 'Saved policy'}
            </label>
          ))}
        </div>
      </div>
      <div className="mt-3 flex items-center gap-2">
        <Button variant="primary" onClick={run}>
          Simulate
        </Button>
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
      </div>
      {result && (
        <div role="status" aria-label="Simulation result" className="mt-3 rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={result.decision.decision === 'Allow' ? 'success' : 'danger'}>{result.decision.decision}</Badge>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              {result.decision.reason === 'ExplicitDeny' ? 'explicit deny' : result.decision.reason === 'ImplicitDeny' ? 'implicit deny' : `allowed by ${result.decision.allowedBy.join(' + ')}`} · {result.target === 'draft' ? 'unsaved draft' : 'saved policy'}
            </span>
          </div>
          <p className="mt-1.5">{result.decision.explanation}</p>
          {result.decision.statements.length > 0 && (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Deciding statements (highlighted in the Policy view):{' '}
              {result.decision.statements.map((s) => `${s.source === 'key-policy' ? '' : 'IAM policy · '}${s.sid ? `“${s.sid}”` : `#${s.statementIndex + 1}`} (line ${s.location.line})`).join(', ')}
            </p>
          )}
          {!result.iamKnown && <p className="mt-1 text-xs text-amber-800 dark:text-amber-300">This principal&apos;s IAM policies are not known here, so access that depends on them shows as denied.</p>}
        </div>
      )}
    </section>
  );
}
