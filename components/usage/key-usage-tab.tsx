'use client';
/** The key detail's Usage tab: the key's calls by API and by caller over a range, and its cost per month. */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { usageQueries } from '@/lib/queries/usage';
import type { RangeName } from '@/lib/usage/aggregate';
import { usd } from './cost-cards';
import { TopList } from './top-list';

const RANGES: [RangeName, string][] = [
  ['7d', '7 d'],
  ['30d', '30 d'],
  ['90d', '90 d'],
];

export function KeyUsageTab({ region, keyId }: { region: string; keyId: string }) {
  const [range, setRange] = useState<RangeName>('30d');
  const report = useQuery(usageQueries.key(region, keyId, range));
  const data = report.data;
  const label = RANGES.find(([r]) => r === range)?.[1] ?? range;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <div role="radiogroup" aria-label="Usage time range" className="inline-flex rounded-lg border bg-white p-0.5 dark:bg-zinc-900">
          {RANGES.map(([r, text]) => (
            <button
              key={r}
              type="button"
              role="radio"
              aria-checked={range === r}
              onClick={() => setRange(r)}
              className={cn('rounded-md px-3 py-1 text-sm', range === r ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800', focusRing)}
            >
              {text}
            </button>
          ))}
        </div>
        {data && (
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            <span className="font-semibold tabular-nums">{data.totals.calls.toLocaleString('en-US')}</span> calls in the last {label}
            {data.totals.errors > 0 && <span className="text-red-700 dark:text-red-400">, {data.totals.errors.toLocaleString('en-US')} refused</span>}
          </p>
        )}
        {data && (
          <Link href={`/usage?${new URLSearchParams({ region, range, key: data.keyArn })}`} className={cn('ml-auto text-sm text-blue-700 hover:underline dark:text-blue-400', focusRing)}>
            All charts on Usage &amp; cost
          </Link>
        )}
      </div>
      {report.isError && <p className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">{report.error.name}: {report.error.message}</p>}
      {!data && report.isPending && <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading usage…</p>}
      {data && (
        <div className="grid gap-4 lg:grid-cols-2">
          <section aria-label="Calls by API" className="rounded-xl border bg-white p-4 dark:bg-zinc-900">
            <h3 className="mb-2 text-sm font-semibold">Calls by API</h3>
            <TopList label="Calls by API" items={data.byApi.map((a) => ({ name: a.name, label: a.name, value: a.calls, errors: a.errors }))} empty={`No calls in the last ${label}.`} />
          </section>
          <section aria-label="Callers" className="rounded-xl border bg-white p-4 dark:bg-zinc-900">
            <h3 className="mb-2 text-sm font-semibold">Callers</h3>
            <TopList label="Callers" items={data.byCaller.map((c) => ({ name: c.name, label: c.name.replace(/^arn:aws:(iam|sts)::\d{12}:/, ''), value: c.calls, errors: c.errors }))} empty={`No calls in the last ${label}.`} />
          </section>
          <section aria-label="Cost per month" className="rounded-xl border bg-white p-4 lg:col-span-2 dark:bg-zinc-900">
            <h3 className="text-sm font-semibold">Cost per month</h3>
            <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">Key storage and rotations, and its billed requests before the account-wide free tier of 20,000 requests a month.</p>
            <Table aria-label="Cost per month">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>Month</TableHeaderCell>
                  <TableHeaderCell className="text-right">Billed requests</TableHeaderCell>
                  <TableHeaderCell className="text-right">Requests</TableHeaderCell>
                  <TableHeaderCell className="text-right">Storage &amp; rotation</TableHeaderCell>
                  <TableHeaderCell className="text-right">Total</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.months.map((m) => (
                  <TableRow key={m.month}>
                    <TableCell className="py-1.5 tabular-nums">{m.month}</TableCell>
                    <TableCell className="py-1.5 text-right tabular-nums">{m.requests.toLocaleString('en-US')}</TableCell>
                    <TableCell className="py-1.5 text-right tabular-nums">{usd(m.requestCost)}</TableCell>
                    <TableCell className="py-1.5 text-right tabular-nums">{usd(m.storage)}</TableCell>
                    <TableCell className="py-1.5 text-right font-medium tabular-nums">{usd(m.total)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </section>
        </div>
      )}
    </div>
  );
}
