'use client';
/** General configuration: every piece of a key's metadata, its last cryptographic use, and its description (editable). */
import { useGate } from '@/components/auth/user-context';
import { useEffect, useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { fieldClass } from '@/components/ui/input';
import { useToast } from '@/components/ui/toast';
import { formatAge, formatDateTime } from '@/lib/format/date';
import { editAvailability } from '@/lib/kms/key-availability';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { DESCRIPTION_MAX, descriptionError } from '@/lib/kms/key-limits';
import { ORIGIN_LABELS, USAGE_LABELS, label } from '@/lib/kms/labels';
import { KeyStatusBadge } from '../key-cells';
import { CopyButton } from './copy-button';
import { Card, Field, FieldError, Fields, Mono, None, Unavailable } from './parts';
import type { KeyDetailActions } from './types';

export function GeneralPanel({ detail, actions }: { detail: KeyDetail; actions: Pick<KeyDetailActions, 'updateDescription'> }) {
  const { row } = detail;
  const algorithms = [...detail.encryptionAlgorithms, ...detail.signingAlgorithms, ...detail.macAlgorithms, ...detail.keyAgreementAlgorithms];
  return (
    <div className="grid gap-4">
      <Card title="General configuration">
        <Fields>
          <Field name="Key ID">
            <span className="inline-flex items-center gap-1">
              <Mono>{row.id}</Mono>
              <CopyButton value={row.id} label="Copy key ID" />
            </span>
          </Field>
          <Field name="ARN">
            <span className="inline-flex items-center gap-1">
              <Mono>{detail.arn}</Mono>
              <CopyButton value={detail.arn} label="Copy ARN" />
            </span>
          </Field>
          <Field name="Aliases">{row.aliases.length > 0 ? <Mono>{row.aliases.join(', ')}</Mono> : <None />}</Field>
          <Field name="Account">
            <Mono>{detail.account}</Mono>
          </Field>
          <Field name="Region">
            <Mono>{detail.region}</Mono>
          </Field>
          <Field name="Status">
            <KeyStatusBadge row={row} />
          </Field>
          {row.deletionAt !== undefined && (
            <Field name="Deletion date">
              {formatDateTime(row.deletionAt)}
              {detail.pendingDeletionWindowDays !== undefined && <None> (waiting period {detail.pendingDeletionWindowDays} days)</None>}
            </Field>
          )}
          <Field name="Created">{formatDateTime(row.createdAt)}</Field>
          <Field name="Key manager">{row.manager === 'AWS' ? 'AWS managed' : 'Customer managed'}</Field>
          <Field name="Origin">{label(ORIGIN_LABELS, row.origin)}</Field>
          <Field name="Key spec">
            <Mono>{row.spec}</Mono>
          </Field>
          <Field name="Key usage">{label(USAGE_LABELS, row.usage)}</Field>
          <Field name="Algorithms">{algorithms.length > 0 ? <Mono>{algorithms.join(', ')}</Mono> : <None />}</Field>
          <Field name="Multi-Region">{detail.multiRegion ? (detail.multiRegion.type === 'PRIMARY' ? 'Yes — primary key' : `Yes — replica of ${detail.multiRegion.primary.region}`) : 'No (single-Region)'}</Field>
          <Field name="Expiration model">{detail.expirationModel ? <Mono>{detail.expirationModel}</Mono> : <None>Does not expire</None>}</Field>
          {detail.validTo !== undefined && <Field name="Key material expires">{formatDateTime(detail.validTo)}</Field>}
        </Fields>
        {row.error && (
          <p role="alert" className="mt-4 text-sm text-amber-800 dark:text-amber-300">
            {row.error.operation} failed — <span className="font-mono">{row.error.name}</span>: {row.error.message}
          </p>
        )}
      </Card>
      <LastUsageCard detail={detail} />
      <DescriptionCard detail={detail} action={actions.updateDescription} />
    </div>
  );
}

function LastUsageCard({ detail }: { detail: KeyDetail }) {
  const usage = detail.lastUsage;
  return (
    <Card title="Last used" description="The last successful cryptographic operation with this key (GetKeyLastUsage): the quick answer to “is this key unused?”">
      {!usage.ok ? (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          GetKeyLastUsage failed — <span className="font-mono">{usage.error.name}</span>: {usage.error.message}
        </p>
      ) : (
        <Fields>
          <Field name="Last cryptographic use">
            {usage.at !== undefined ? (
              <>
                <Mono>{usage.operation}</Mono> on {formatDateTime(usage.at)} <Age at={usage.at} />
              </>
            ) : (
              <span className="font-medium">Not used since tracking started</span>
            )}
          </Field>
          {usage.requestId && (
            <Field name="Request ID">
              <Mono>{usage.requestId}</Mono>
            </Field>
          )}
          <Field name="Tracking since">{usage.trackingStartAt !== undefined ? formatDateTime(usage.trackingStartAt) : <None />}</Field>
        </Fields>
      )}
    </Card>
  );
}

function DescriptionCard({ detail, action }: { detail: KeyDetail; action: KeyDetailActions['updateDescription'] }) {
  const can = useGate('operator', editAvailability(detail));
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(detail.row.description);
  const toast = useToast();
  const ids = { field: useId(), error: useId(), count: useId() };
  const error = descriptionError(text);
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    if (error) return;
    action.mutate(
      { description: text },
      {
        onSuccess: () => {
          setEditing(false);
          toast({ tone: 'success', title: 'Description saved' });
        },
      },
    );
  };
  return (
    <Card
      title="Description"
      actions={
        !editing && (
          <Button
            size="sm"
            disabled={!can.allowed}
            onClick={() => {
              setText(detail.row.description);
              setEditing(true);
            }}
          >
            Edit description
          </Button>
        )
      }
    >
      {editing ? (
        <form onSubmit={save} className="grid gap-2">
          <label htmlFor={ids.field} className="text-sm font-medium">
            Description
          </label>
          <textarea
            id={ids.field}
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
            className={cn(fieldClass, 'h-auto py-2', focusRing)}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${ids.count}${error ? ` ${ids.error}` : ''}`}
          />
          <p id={ids.count} className="text-xs text-zinc-600 dark:text-zinc-400">
            {text.length.toLocaleString('en-US')} / {DESCRIPTION_MAX.toLocaleString('en-US')} characters
          </p>
          <FieldError id={ids.error} message={error} />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={!!error || action.isPending}>
              {action.isPending ? 'Saving…' : 'Save description'}
            </Button>
            <Button onClick={() => setEditing(false)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <>
          <p className="text-sm whitespace-pre-wrap">{detail.row.description || <None>No description</None>}</p>
          <Unavailable reason={can.reason} />
        </>
      )}
    </Card>
  );
}

/** "(3 min ago)", once mounted: the server's clock and the browser's differ, and the HTML must hydrate unchanged. */
function Age({ at }: { at: number }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setNow(Date.now()), 0);
    return () => clearTimeout(timer);
  }, []);
  return now === null ? null : <span className="text-zinc-500 dark:text-zinc-400">({formatAge(now - at)})</span>;
}
