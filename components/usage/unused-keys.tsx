/**
 * The clean-up list: customer managed keys with no call in the range (other than Keydeck's own) and what
 * keeping them costs; above it, keys pending deletion that were still called (deleting them would break a caller).
 */
import Link from 'next/link';
import { AlertTriangle } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import type { UsageReport } from '@/lib/usage/report-types';
import { usd } from './cost-cards';

const keyId = (arn: string) => arn.split('/').pop() ?? arn;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function UnusedKeys({ unused, region, rangeLabel }: { unused: NonNullable<UsageReport['unused']>; region: string; rangeLabel: string }) {
  const href = (arn: string) => `/keys/${encodeURIComponent(keyId(arn))}?region=${encodeURIComponent(region)}`;
  const monthly = unused.keys.reduce((s, k) => s + k.monthly, 0);
  return (
    <div className="space-y-3">
      {unused.pendingButCalled.length > 0 && (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          <p className="flex items-center gap-1.5 font-medium">
            <AlertTriangle aria-hidden="true" className="size-4" />
            Pending deletion, yet still called in the last {rangeLabel}: deleting {unused.pendingButCalled.length === 1 ? 'it' : 'them'} would break a caller.
          </p>
          <ul className="mt-1 list-inside list-disc">
            {unused.pendingButCalled.map((k) => (
              <li key={k.arn}>
                <Link href={href(k.arn)} className="underline">{k.name}</Link>
                {k.deletionAt ? ` — deleted on ${day(k.deletionAt)}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {unused.keys.length === 0 ? (
        <p className="py-4 text-center text-sm text-zinc-500 dark:text-zinc-400">Every customer managed key was called in the last {rangeLabel}.</p>
      ) : (
        <>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            {unused.keys.length} {unused.keys.length === 1 ? 'key' : 'keys'} without a call in the last {rangeLabel}, together {usd(monthly)} a month.
          </p>
          <div className="max-h-80 overflow-auto rounded-lg border">
            <Table aria-label="Unused keys">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>Key</TableHeaderCell>
                  <TableHeaderCell>State</TableHeaderCell>
                  <TableHeaderCell>Created</TableHeaderCell>
                  <TableHeaderCell className="text-right">Cost in range</TableHeaderCell>
                  <TableHeaderCell className="text-right">Per month</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {unused.keys.map((k) => (
                  <TableRow key={k.arn}>
                    <TableCell className="py-1.5">
                      <Link href={href(k.arn)} className="font-medium text-blue-700 hover:underline dark:text-blue-400" title={k.arn}>
                        {k.name}
                      </Link>
                    </TableCell>
                    <TableCell className="py-1.5">
                      <Badge tone={k.state === 'Enabled' ? 'success' : 'neutral'}>{k.state}</Badge>
                    </TableCell>
                    <TableCell className="py-1.5 tabular-nums">{day(k.createdAt)}</TableCell>
                    <TableCell className="py-1.5 text-right tabular-nums">{usd(k.costInRange)}</TableCell>
                    <TableCell className="py-1.5 text-right tabular-nums">{usd(k.monthly)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}
    </div>
  );
}
