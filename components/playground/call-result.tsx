'use client';
/** One KMS call as the playground shows it: request, response (secrets masked until revealed), its CLI twin and its CloudTrail event. */
import { useQuery } from '@tanstack/react-query';
import { Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { Scope } from '@/lib/kms/inventory-types';
import type { PlaygroundCall } from '@/lib/playground/call';
import { cliText, cliTwin, type CliOperation } from '@/lib/playground/cli';
import { playgroundQueries } from '@/lib/playground/queries';
import { maskedJson as masked } from '@/lib/playground/mask';
import { Card, CodeBlock } from './card';
import { CopyButton } from './copy-button';

/** The console's own emulator endpoint, as the browser reaches it. */
export function demoEndpoint(): string {
  return typeof window === 'undefined' ? 'http://localhost:3000/api/kms' : `${window.location.origin}/api/kms`;
}

export function CliBlock({ operation, region, mode, title = 'AWS CLI', note }: { operation: CliOperation; region: string; mode: 'demo' | 'aws'; title?: string; note?: React.ReactNode }) {
  const twin = cliTwin(operation, { mode, region, endpointUrl: demoEndpoint() });
  const text = cliText(twin);
  const reads = Object.entries(twin.reads);
  return (
    <Card title={title} actions={<CopyButton text={text} label={`Copy the ${title} command`} />}>
      <CodeBlock label={`${title} command`}>{text}</CodeBlock>
      {reads.length > 0 && (
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          Reads {reads.map(([file, what], i) => (
            <span key={file}>
              {i > 0 && ', '}
              <code className="font-mono">{file}</code> ({what})
            </span>
          ))}
          .
        </p>
      )}
      {note && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{note}</p>}
    </Card>
  );
}

function TrailEvent({ scope, call }: { scope: Scope; call: PlaygroundCall }) {
  const query = useQuery(playgroundQueries.event(scope, call));
  const event = query.data?.event;
  const lookup: CliOperation = { op: 'lookup-events', eventName: call.operation, startTime: new Date(call.at - 60_000).toISOString() };
  return (
    <Card
      title="CloudTrail event"
      description={
        call.mode === 'demo'
          ? 'The emulator records every call as CloudTrail does, before it answers: the event is here at once.'
          : 'AWS delivers events to LookupEvents about 5 to 15 minutes after the call; this panel keeps asking until it arrives.'
      }
      actions={event ? <Badge tone="success">Recorded</Badge> : query.error ? <Badge tone="danger">{query.error.name}</Badge> : <Badge tone="info">Waiting for the event…</Badge>}
    >
      {event ? (
        <>
          <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span className="font-medium text-zinc-800 dark:text-zinc-200">{event.eventName}</span> by {event.username ?? 'unknown'} at {event.eventTime} · event id{' '}
            <code className="font-mono">{event.eventId}</code> · request id <code className="font-mono">{call.requestId}</code>
          </p>
          <CodeBlock label="CloudTrail record">{JSON.stringify(event.record, null, 2)}</CodeBlock>
        </>
      ) : query.error ? (
        <p className="text-sm text-red-700 dark:text-red-400">{query.error.message}</p>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Looking up request id {call.requestId ?? '(none)'} …</p>
      )}
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">The same lookup from the AWS CLI</summary>
        <div className="mt-2">
          <CodeBlock label="CloudTrail lookup command">{cliText(cliTwin(lookup, { mode: call.mode, region: call.region, endpointUrl: demoEndpoint() }))}</CodeBlock>
        </div>
      </details>
    </Card>
  );
}

export function CallResult({ scope, call, cli, extra }: { scope: Scope; call: PlaygroundCall; cli: CliOperation; extra?: React.ReactNode }) {
  const [reveal, setReveal] = useState(false);
  const hasSecret = call.secret.request.length + call.secret.response.length > 0;
  const revealButton = hasSecret ? (
    <Button size="sm" variant="ghost" onClick={() => setReveal((r) => !r)} aria-pressed={reveal}>
      {reveal ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />}
      {reveal ? 'Hide secrets' : 'Reveal secrets'}
    </Button>
  ) : null;
  return (
    <div className="grid gap-3" aria-label={`${call.operation} result`} role="region">
      {revealButton && <div className="flex justify-end">{revealButton}</div>}
      <div className="grid gap-3 lg:grid-cols-2">
        <Card title={`${call.operation} request`}>
          <CodeBlock label={`${call.operation} request JSON`}>{masked(call.request, call.secret.request, reveal)}</CodeBlock>
        </Card>
        <Card title={`${call.operation} response`}>
          <CodeBlock label={`${call.operation} response JSON`}>{masked(call.response, call.secret.response, reveal)}</CodeBlock>
        </Card>
      </div>
      {extra}
      <CliBlock operation={cli} region={call.region} mode={call.mode} />
      <TrailEvent scope={scope} call={call} />
    </div>
  );
}
