/** The key policy, read-only and pretty-printed, with a copy button: what an AWS managed key's Key policy tab shows. */
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';
import { CopyButton } from './copy-button';
import { Card, Notice } from './parts';

export function PolicyPanel({ policy, error }: { policy: string | undefined; error: KmsErrorInfo | null }) {
  return (
    <Card
      title="Key policy"
      description="The resource policy that controls access to this key (GetKeyPolicy, policy name default)."
      actions={
        policy !== undefined && (
          <CopyButton value={policy} label="Copy policy">
            Copy
          </CopyButton>
        )
      }
    >
      {error ? (
        <Notice tone="warning">
          <span className="font-mono font-semibold">{error.name}</span>: {error.message}
        </Notice>
      ) : policy === undefined ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the key policy…</p>
      ) : (
        <pre
          tabIndex={0}
          aria-label="Key policy JSON"
          className="max-h-[32rem] overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-relaxed text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
        >
          {policy}
        </pre>
      )}
    </Card>
  );
}
