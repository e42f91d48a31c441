'use client';
/** The playground: pick a key (kept in the URL as ?key=), then use it; GenerateRandom needs no key. */
import { useQuery } from '@tanstack/react-query';
import { usePathname } from 'next/navigation';
import { useId, useState } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { KeyUsePanel } from '@/components/playground/key-use-panel';
import { RandomPanel } from '@/components/playground/random-panel';
import { Select } from '@/components/ui/select';
import type { Scope } from '@/lib/kms/inventory-types';
import { label, USAGE_LABELS } from '@/lib/kms/labels';
import { keyQueries } from '@/lib/queries/keys';

export function PlaygroundView({ scope, initialKey, mode }: { scope: Scope; initialKey: string | null; mode: 'demo' | 'aws' }) {
  const id = useId();
  const pathname = usePathname();
  const inventory = useQuery(keyQueries.list(scope));
  const keys = (inventory.data?.keys ?? []).filter((k) => k.manager === 'CUSTOMER').sort((a, b) => (a.aliases[0] ?? `~${a.id}`).localeCompare(b.aliases[0] ?? `~${b.id}`));
  const [keyId, setKeyId] = useState(initialKey ?? '');
  // ?key= may name an alias or an ARN; the select shows the key it resolves to when the inventory knows it.
  const selected = keys.find((k) => k.id === keyId || k.aliases.includes(keyId) || keyId.endsWith(`/${k.id}`));

  const choose = (next: string) => {
    setKeyId(next);
    const params = new URLSearchParams(window.location.search);
    if (next) params.set('key', next);
    else params.delete('key');
    window.history.replaceState(null, '', `${pathname}?${params}`);
  };

  return (
    <>
      <PageHeader
        title="Playground"
        description={
          mode === 'demo'
            ? 'Use a key for real against the demo emulator: every call shows its request, response, CloudTrail event and AWS CLI twin.'
            : 'Use a key for real against AWS: every call shows its request, response, CloudTrail event and AWS CLI twin. Calls are billed as usual.'
        }
      />
      <div className="grid gap-6 px-6 pb-8">
        <section aria-labelledby={`${id}-key-heading`} className="grid gap-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid gap-1">
              <h2 id={`${id}-key-heading`} className="text-sm font-semibold">
                <label htmlFor={`${id}-key`}>Key</label>
              </h2>
              <Select id={`${id}-key`} value={selected?.id ?? keyId} onChange={(e) => choose(e.target.value)} className="w-[min(36rem,90vw)]">
                <option value="">Choose a key…</option>
                {keyId && !selected && <option value={keyId}>{keyId}</option>}
                {keys.map((k) => (
                  <option key={k.id} value={k.id}>
                    {`${k.aliases[0] ?? k.id} · ${k.spec} · ${label(USAGE_LABELS, k.usage)}${k.state === 'Enabled' ? '' : ` · ${k.state}`}`}
                  </option>
                ))}
              </Select>
            </div>
            {inventory.error && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {inventory.error.name}: {inventory.error.message}
              </p>
            )}
          </div>
          {keyId ? (
            <KeyUsePanel scope={scope} keyId={selected?.id ?? keyId} mode={mode} />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Choose a key to see what it can do: the actions follow its key spec and usage.</p>
          )}
        </section>
        <section aria-labelledby={`${id}-random`} className="grid gap-3 border-t border-zinc-200 pt-6 dark:border-zinc-800">
          <h2 id={`${id}-random`} className="text-sm font-semibold">
            Random bytes
          </h2>
          <RandomPanel scope={scope} />
        </section>
      </div>
    </>
  );
}
