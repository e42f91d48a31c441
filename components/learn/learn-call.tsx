'use client';
/** One KMS call a step made: who made it, the request and response (secrets masked until revealed), the AWS CLI twin and the CloudTrail event. */
import { Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import { Card, CodeBlock } from '@/components/playground/card';
import { CopyButton } from '@/components/playground/copy-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { LearnCall } from '@/lib/learn/types';
import { maskedJson as masked } from '@/lib/playground/mask';

const AS_LABEL: Record<LearnCall['as'], string> = {
  admin: 'admin',
  'security-admin': 'security-admin role',
  app: 'app role',
  auditor: 'auditor',
  partner: 'partner account admin',
};

export function LearnCallView({ call, open }: { call: LearnCall; open: boolean }) {
  const [reveal, setReveal] = useState(false);
  const hasSecret = call.secret.request.length > 0 || (call.response !== null && call.secret.response.some((m) => m in (call.response ?? {})));
  const cli = call.cli.join('\n');
  return (
    <details open={open} className="rounded-lg border border-zinc-200 dark:border-zinc-800">
      <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
        <span className="font-medium">{call.operation}</span>
        <span className="text-zinc-600 dark:text-zinc-400">
          as {AS_LABEL[call.as]} · {call.region}
        </span>
        {call.error ? <Badge tone="warning">{call.error.name}</Badge> : <Badge tone="success">200 OK</Badge>}
      </summary>
      <div className="grid gap-3 border-t border-zinc-200 p-3 dark:border-zinc-800">
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Caller <code className="font-mono break-all">{call.principal}</code>
          {call.requestId && (
            <>
              {' '}
              · request id <code className="font-mono">{call.requestId}</code>
            </>
          )}
        </p>
        {hasSecret && (
          <div className="flex justify-end">
            <Button size="sm" variant="ghost" onClick={() => setReveal((r) => !r)} aria-pressed={reveal}>
              {reveal ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />}
              {reveal ? 'Hide secrets' : 'Reveal secrets'}
            </Button>
          </div>
        )}
        <div className="grid gap-3 lg:grid-cols-2">
          <Card title="Sent">
            <CodeBlock label={`${call.operation} request JSON`}>{masked(call.request, call.secret.request, reveal)}</CodeBlock>
          </Card>
          <Card title={call.error ? 'Refused' : 'Came back'}>
            {call.error ? (
              <CodeBlock label={`${call.operation} error`}>{JSON.stringify({ __type: call.error.name, message: call.error.message }, null, 2)}</CodeBlock>
            ) : (
              <CodeBlock label={`${call.operation} response JSON`}>{masked(call.response ?? {}, call.secret.response, reveal)}</CodeBlock>
            )}
          </Card>
        </div>
        <Card title="AWS CLI" description="The same call from a shell, against this console's emulator." actions={<CopyButton text={cli} label={`Copy the ${call.operation} command`} />}>
          <CodeBlock label={`${call.operation} AWS CLI command`}>{cli}</CodeBlock>
        </Card>
        <Card
          title="CloudTrail event"
          description="The emulator records every call, allowed or refused, as CloudTrail does."
          actions={call.event ? <Badge tone="success">Recorded</Badge> : <Badge tone="neutral">Not found</Badge>}
        >
          {call.event ? (
            <CodeBlock label={`${call.operation} CloudTrail record`}>{JSON.stringify(call.event.record, null, 2)}</CodeBlock>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No event with request id {call.requestId ?? '(none)'} was found.</p>
          )}
        </Card>
      </div>
    </details>
  );
}
