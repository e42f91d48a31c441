/** After Create: the new key with a link to it; if only the alias failed, that is said plainly. */
import { CircleCheck, TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import type { CreatedKey } from '@/lib/kms/create-key';

/** `scopeQuery`: the `region=…[&account=…]` the links keep. */
export function CreateSuccess({ created, region, scopeQuery, wantedAlias, onCreateAnother }: { created: CreatedKey; region: string; scopeQuery: string; wantedAlias: string; onCreateAnother: () => void }) {
  const keyHref = `/keys/${encodeURIComponent(created.keyId)}?${scopeQuery}`;
  return (
    <section aria-labelledby="created-title" className="max-w-3xl rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="created-title" tabIndex={-1} className="flex items-center gap-2 text-base font-semibold outline-none">
        {created.aliasError ? (
          <TriangleAlert aria-hidden="true" className="size-5 text-amber-600 dark:text-amber-400" />
        ) : (
          <CircleCheck aria-hidden="true" className="size-5 text-emerald-600 dark:text-emerald-400" />
        )}
        {created.aliasError ? 'Key created, but without its alias' : 'Key created'}
      </h2>
      {created.aliasError && (
        <div role="alert" className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-400/30 dark:bg-amber-400/10">
          <p>
            The key exists in {region}, but CreateAlias for <span className="font-mono">{wantedAlias}</span> failed:{' '}
            <span className="font-mono font-semibold">{created.aliasError.name}</span>: {created.aliasError.message}
          </p>
          <p className="mt-1">Open the key to give it another alias. Creating the key again would make a second key.</p>
        </div>
      )}
      <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        <dt className="text-zinc-600 dark:text-zinc-400">Alias</dt>
        <dd className="font-mono">{created.alias ?? '—'}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Key ID</dt>
        <dd className="font-mono break-all">{created.keyId}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">ARN</dt>
        <dd className="font-mono text-xs break-all">{created.arn}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Status</dt>
        <dd>{created.keyState === 'PendingImport' ? 'Pending import — import key material to use the key' : created.keyState}</dd>
      </dl>
      <div className="mt-5 flex flex-wrap gap-2">
        <Button asChild variant="primary">
          <Link href={keyHref}>View key</Link>
        </Button>
        <Button asChild>
          <Link href={`/keys?${scopeQuery}`}>All keys</Link>
        </Button>
        <Button variant="ghost" onClick={onCreateAnother}>
          Create another key
        </Button>
      </div>
    </section>
  );
}
