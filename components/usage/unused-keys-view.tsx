'use client';
/**
 * Unused keys: customer managed keys no one but Keydeck called in the last 30, 60 or 90 days (the choice
 * is in the URL), with what each costs a month — the clean-up list — and, first, the keys pending deletion
 * that something still calls, naming the callers, since deleting them would break those callers.
 */
import { useQuery } from '@tanstack/react-query';
import { AlertTriangle, Download } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { usageQueries } from '@/lib/queries/usage';
import { dateOf, UNUSED_DAYS, type UnusedDays } from '@/lib/usage/range';
import { unusedCsv } from '@/lib/usage/unused-csv';
import { usd } from './cost-cards';
import { download } from '@/components/ui/download';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const when = (epochS: number) => new Date(epochS * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const shortCaller = (arn: string) => arn.replace(/^arn:aws:(iam|sts)::\d{12}:/, '');

const CSV = 'text/csv;charset=utf-8';

export function UnusedKeysView({ region, initialDays }: { region: string; initialDays: UnusedDays }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const fromUrl = Number(searchParams.get('days'));
  const days: UnusedDays = (UNUSED_DAYS as readonly number[]).includes(fromUrl) ? (fromUrl as UnusedDays) : initialDays;
  const account = searchParams.get('account');
  const report = useQuery(usageQueries.unused(region, days, account ?? undefined));
  const data = report.data;
  const keyHref = (id: string) => `/keys/${encodeURIComponent(id)}?${new URLSearchParams({ region, ...(account ? { account } : {}) })}`;

  const setDays = (d: UnusedDays) => {
    const params = new URLSearchParams(searchParams);
    params.set('days', String(d));
    window.history.replaceState(null, '', `${pathname}?${params}`);
  };

  return (
    <div className="space-y-4 px-6 pb-8">
      <div className="flex flex-wrap items-center gap-3">
        <span id="unused-days-label" className="text-sm text-zinc-700 dark:text-zinc-300">
          No call in the last
        </span>
        <div role="radiogroup" aria-labelledby="unused-days-label" className="inline-flex rounded-lg border bg-white p-0.5 dark:bg-zinc-900">
          {UNUSED_DAYS.map((d) => (
            <button
              key={d}
              type="button"
              role="radio"
              aria-checked={days === d}
              onClick={() => setDays(d)}
              className={cn('rounded-md px-3 py-1 text-sm', days === d ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800', focusRing)}
            >
              {d} days
            </button>
          ))}
        </div>
        <span className="text-xs text-zinc-600 dark:text-zinc-400">Keydeck’s own calls (inventory reads, this console’s pages) do not count.</span>
        <Button size="sm" className="ml-auto" disabled={!data} onClick={() => data && download(unusedCsv(data), `keydeck-unused-keys-${region}-${days}d.csv`, CSV)}>
          <Download aria-hidden="true" />
          Export CSV
        </Button>
      </div>

      {report.isError && <p role="alert" className="rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">{report.error.name}: {report.error.message}</p>}
      {!data && report.isPending && <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading keys and usage…</p>}

      {data && data.pendingButCalled.length > 0 && (
        <section aria-label="Pending deletion but still called" className="rounded-xl border border-amber-300 bg-amber-50 p-4 dark:border-amber-700/60 dark:bg-amber-950/40">
          <h2 className="flex items-center gap-2 text-sm font-semibold text-amber-900 dark:text-amber-200">
            <AlertTriangle aria-hidden="true" className="size-4" />
            Pending deletion, still called in the last {days} days — deleting these would break their callers
          </h2>
          <ul className="mt-3 space-y-3">
            {data.pendingButCalled.map((k) => (
              <li key={k.arn} className="text-sm text-zinc-800 dark:text-zinc-200">
                <Link href={keyHref(k.id)} className={cn('font-medium text-blue-700 hover:underline dark:text-blue-400', focusRing)}>
                  {k.name}
                </Link>{' '}
                <span className="text-zinc-600 dark:text-zinc-400">
                  deleted on {k.deletionAt ? isoDay(k.deletionAt) : 'its scheduled date'} · {k.calls.toLocaleString('en-US')}
                  {k.capped && '+'} calls since {when(k.since)}
                  {k.errors > 0 && `, ${k.errors.toLocaleString('en-US')} refused`}
                  {k.lastCall !== null && ` · last ${when(k.lastCall)}`}
                </span>
                <div className="mt-1">
                  Callers:{' '}
                  {k.callers.map((c, i) => (
                    <span key={c.name}>
                      {i > 0 && ', '}
                      <span className="font-mono text-xs">{shortCaller(c.name)}</span> ({c.calls.toLocaleString('en-US')})
                    </span>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}

      {data && (
        <section aria-label="Unused keys" className="rounded-xl border bg-white p-4 dark:bg-zinc-900">
          <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="text-sm font-semibold">
              {data.keys.length} customer managed {data.keys.length === 1 ? 'key' : 'keys'} without a call in the last {days} days
            </h2>
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              Keeping them costs <span className="font-semibold tabular-nums">{usd(data.monthlyTotal)}</span> a month
            </p>
          </div>
          {data.historyFrom !== null && data.historyFrom > data.from && (
            <p className="mb-3 text-xs text-zinc-600 dark:text-zinc-400">The store holds calls since {when(data.historyFrom)}: a key may have been used before that.</p>
          )}
          {data.keys.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Every customer managed key of {region} was called in the last {days} days.</p>
          ) : (
            <Table aria-label="Unused keys">
              <TableHead>
                <TableRow>
                  <TableHeaderCell>Key</TableHeaderCell>
                  <TableHeaderCell>State</TableHeaderCell>
                  <TableHeaderCell>Created</TableHeaderCell>
                  <TableHeaderCell className="text-right">Per month</TableHeaderCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.keys.map((k) => (
                  <TableRow key={k.arn}>
                    <TableCell>
                      <Link href={keyHref(k.id)} className={cn('text-blue-700 hover:underline dark:text-blue-400', focusRing)}>
                        {k.name}
                      </Link>
                      {k.name !== k.id && <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">{k.id.slice(0, 8)}</span>}
                    </TableCell>
                    <TableCell>{k.state}</TableCell>
                    <TableCell className="tabular-nums">{isoDay(k.createdAt)}</TableCell>
                    <TableCell className="text-right tabular-nums">{usd(k.monthly)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
            Key storage and the first two rotations’ surcharge at today’s prices (<a href={data.priceSource} className="underline">{data.priceSource}</a>, checked {data.pricesCheckedOn}); window {dateOf(data.from)} – {dateOf(data.to)}.
          </p>
        </section>
      )}
    </div>
  );
}
