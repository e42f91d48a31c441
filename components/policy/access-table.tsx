'use client';
/** "Who can use this key": principals × action groups, each cell allow / partial / conditional / deny with the reason. */
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { ACTION_GROUPS, type AccessRow, type CellState } from '@/lib/policy/access';

const CELL: Record<CellState, { tone: BadgeTone; text: string }> = {
  allow: { tone: 'success', text: 'Allow' },
  partial: { tone: 'info', text: 'Partly' },
  conditional: { tone: 'warning', text: 'Conditional' },
  deny: { tone: 'neutral', text: 'Deny' },
};

export function AccessTable({ rows, basis }: { rows: AccessRow[]; basis: string }) {
  return (
    <section aria-labelledby="access-title" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="access-title" className="text-sm font-semibold">
        Who can use this key <span className="font-normal text-zinc-600 dark:text-zinc-400">({basis})</span>
      </h2>
      <div className="mt-2 overflow-x-auto rounded-md focus-visible:outline-2 focus-visible:outline-amber-500" tabIndex={0} role="group" aria-label="Access table, scrolls sideways">
        <Table aria-labelledby="access-title">
          <TableHead>
            <TableRow>
              <TableHeaderCell scope="col">Principal</TableHeaderCell>
              {ACTION_GROUPS.map((g) => (
                <TableHeaderCell key={g.id} scope="col">
                  {g.label}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.principal.id}>
                <TableHeaderCell scope="row" className="max-w-[16rem] align-top font-normal normal-case">
                  <span className="block font-medium text-zinc-900 dark:text-zinc-100">{row.principal.label}</span>
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{row.principal.sources.join(', ')}</span>
                </TableHeaderCell>
                {ACTION_GROUPS.map((g) => {
                  const cell = row.cells[g.id];
                  return (
                    <TableCell key={g.id} className="max-w-[14rem] py-2 align-top">
                      <Badge tone={CELL[cell.state].tone}>{CELL[cell.state].text}</Badge>
                      <span className="mt-1 line-clamp-3 text-xs text-zinc-600 dark:text-zinc-400" title={cell.reason}>
                        {cell.reason}
                      </span>
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
