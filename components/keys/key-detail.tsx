/** A key's metadata, read-only: the minimal detail page until the tabbed one lands. */
import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { formatDateTime } from '@/lib/format/date';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { ORIGIN_LABELS, USAGE_LABELS, label } from '@/lib/kms/labels';
import { KeyStatusBadge, RotationText, TagList } from './key-cells';

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-zinc-500 dark:text-zinc-400">{name}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

const list = (values: string[]) => (values.length > 0 ? <span className="font-mono text-xs">{values.join(', ')}</span> : '—');

export function KeyDetailView({ detail, backHref }: { detail: KeyDetail; backHref: string }) {
  const { row } = detail;
  return (
    <>
      <PageHeader
        title={row.aliases[0] ?? row.id}
        description={row.description || 'No description'}
        actions={
          <Button asChild variant="ghost">
            <Link href={backHref}>
              <ArrowLeft aria-hidden="true" /> All keys
            </Link>
          </Button>
        }
      />
      <section aria-labelledby="general" className="mx-6 mb-6 max-w-4xl rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="general" className="text-sm font-semibold">
          General configuration
        </h2>
        <dl className="mt-3 grid grid-cols-[12rem_1fr] gap-x-4 gap-y-2.5 text-sm">
          <Field name="Key ID">
            <span className="font-mono text-xs">{row.id}</span>
          </Field>
          <Field name="ARN">
            <span className="font-mono text-xs">{detail.arn}</span>
          </Field>
          <Field name="Aliases">{row.aliases.length > 0 ? <span className="font-mono text-xs">{row.aliases.join(', ')}</span> : '—'}</Field>
          <Field name="Status">
            <KeyStatusBadge row={row} />
            {row.deletionAt && <span className="ml-2 text-zinc-600 dark:text-zinc-400">deleted on {formatDateTime(row.deletionAt)}</span>}
          </Field>
          <Field name="Key manager">{row.manager === 'AWS' ? 'AWS managed' : 'Customer managed'}</Field>
          <Field name="Type">{row.type}</Field>
          <Field name="Key spec">
            <span className="font-mono text-xs">{row.spec}</span>
          </Field>
          <Field name="Key usage">{label(USAGE_LABELS, row.usage)}</Field>
          <Field name="Origin">{label(ORIGIN_LABELS, row.origin)}</Field>
          <Field name="Multi-Region">{row.multiRegion ? (row.multiRegion === 'PRIMARY' ? 'Primary key' : 'Replica key') : 'No (single-Region)'}</Field>
          <Field name="Automatic rotation">
            <RotationText row={row} />
          </Field>
          <Field name="Created">{formatDateTime(row.createdAt)}</Field>
          <Field name="Encryption algorithms">{list(detail.encryptionAlgorithms)}</Field>
          <Field name="Signing algorithms">{list(detail.signingAlgorithms)}</Field>
          <Field name="MAC algorithms">{list(detail.macAlgorithms)}</Field>
          <Field name="Key agreement algorithms">{list(detail.keyAgreementAlgorithms)}</Field>
          <Field name="Tags">
            <TagList tags={row.tags} max={50} />
          </Field>
        </dl>
        {row.error && (
          <p role="alert" className="mt-4 text-sm text-amber-800 dark:text-amber-300">
            {row.error.operation} failed — <span className="font-mono">{row.error.name}</span>: {row.error.message}
          </p>
        )}
      </section>
    </>
  );
}
