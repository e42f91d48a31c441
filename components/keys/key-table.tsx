'use client';
/**
 * The inventory table: a real <table> (screen readers announce rows and columns), virtualized with
 * spacer rows so 10,000 keys cost the DOM only the rows on screen.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ChevronsUpDown, CircleAlert } from 'lucide-react';
import Link from 'next/link';
import { useRef } from 'react';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { formatDay } from '@/lib/format/date';
import type { KeyRow } from '@/lib/kms/inventory-types';
import type { SortDir, SortKey } from '@/lib/kms/inventory-view';
import { ORIGIN_LABELS, USAGE_LABELS, label } from '@/lib/kms/labels';
import { KeyStatusBadge, RotationText, TagList } from './key-cells';

const ROW_HEIGHT = 53;

// The alias column stays put while the other columns scroll sideways, so a row never loses its name.
const STICKY_HEAD = 'sticky left-0 z-20 bg-zinc-100 dark:bg-zinc-900';
const STICKY_CELL =
  'sticky left-0 z-[1] border-r bg-white group-hover:bg-zinc-50 dark:bg-zinc-900 dark:group-hover:bg-zinc-800';

interface Column {
  key: SortKey;
  title: string;
  width: number;
  cell: (row: KeyRow, href: string) => React.ReactNode;
}

const COLUMNS: Column[] = [
  {
    key: 'alias',
    title: 'Aliases',
    width: 260,
    cell: (row, href) => (
      <div className="min-w-0">
        <Link href={href} prefetch={false} className={cn('block truncate font-medium text-zinc-900 hover:underline dark:text-zinc-50', focusRing)}>
          {row.aliases[0] ?? <span className="text-zinc-500 italic dark:text-zinc-400">No alias</span>}
          {row.aliases.length > 1 && <span className="ml-1 text-xs font-normal text-zinc-500 dark:text-zinc-400">+{row.aliases.length - 1}</span>}
        </Link>
        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={row.description}>
          {row.description || '\u00a0'}
        </p>
      </div>
    ),
  },
  {
    key: 'id',
    title: 'Key ID',
    width: 300,
    cell: (row) => (
      <span className="flex items-center gap-1.5">
        <span className="truncate font-mono text-xs text-zinc-700 dark:text-zinc-300">{row.id}</span>
        {row.error && (
          <span title={`${row.error.operation} failed — ${row.error.name}: ${row.error.message}`} className="text-amber-600 dark:text-amber-400">
            <CircleAlert aria-hidden="true" className="size-4" />
            <span className="sr-only">
              {row.error.operation} failed: {row.error.name}: {row.error.message}
            </span>
          </span>
        )}
      </span>
    ),
  },
  { key: 'status', title: 'Status', width: 150, cell: (row) => <KeyStatusBadge row={row} /> },
  { key: 'type', title: 'Type', width: 110, cell: (row) => row.type },
  { key: 'spec', title: 'Key spec', width: 170, cell: (row) => <span className="font-mono text-xs">{row.spec}</span> },
  { key: 'usage', title: 'Usage', width: 180, cell: (row) => label(USAGE_LABELS, row.usage) },
  { key: 'origin', title: 'Origin', width: 140, cell: (row) => label(ORIGIN_LABELS, row.origin) },
  {
    key: 'multiRegion',
    title: 'Multi-Region',
    width: 140,
    cell: (row) => (row.multiRegion ? (row.multiRegion === 'PRIMARY' ? 'Primary' : 'Replica') : <span className="text-zinc-500 dark:text-zinc-400">No</span>),
  },
  { key: 'rotation', title: 'Rotation', width: 150, cell: (row) => <RotationText row={row} /> },
  { key: 'created', title: 'Created', width: 110, cell: (row) => <span className="tabular-nums">{formatDay(row.createdAt)}</span> },
  { key: 'tags', title: 'Tags', width: 240, cell: (row) => <TagList tags={row.tags} /> },
];

const TOTAL_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width, 0);

export interface KeyTableProps {
  rows: KeyRow[];
  /** All rows of the view, for assistive tech; `rows` may hold only the first screen of them. */
  rowCount: number;
  sort: SortKey;
  dir: SortDir;
  onSort: (sort: SortKey, dir: SortDir) => void;
  hrefFor: (keyId: string) => string;
  caption: string;
  empty: React.ReactNode;
}

export function KeyTable({ rows, rowCount, sort, dir, onSort, hrefFor, caption, empty }: KeyTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler lint flags useVirtualizer's mutable instance; it is the library's documented API.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // Lets the server render the first screenful, so rows appear before any JavaScript runs.
    initialRect: { width: 1280, height: 900 },
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto" tabIndex={-1}>
      <Table aria-rowcount={rowCount + 1} style={{ minWidth: TOTAL_WIDTH, tableLayout: 'fixed' }}>
        <caption className="sr-only">{caption}</caption>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} style={{ width: c.width }} />
          ))}
        </colgroup>
        <TableHead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const active = sort === column.key;
              const nextDir: SortDir = active && dir === 'asc' ? 'desc' : 'asc';
              const Icon = active ? (dir === 'asc' ? ArrowUp : ArrowDown) : ChevronsUpDown;
              return (
                <TableHeaderCell
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={cn('p-0', column.key === 'alias' && STICKY_HEAD)}
                >
                  <button
                    type="button"
                    onClick={() => onSort(column.key, nextDir)}
                    className={cn('flex w-full items-center gap-1 px-3 py-2 text-left uppercase hover:text-zinc-900 dark:hover:text-zinc-100', active && 'text-zinc-900 dark:text-zinc-100', focusRing)}
                  >
                    {column.title}
                    <Icon aria-hidden="true" className={cn('size-3.5', !active && 'opacity-40')} />
                  </button>
                </TableHeaderCell>
              );
            })}
          </tr>
        </TableHead>
        <TableBody>
          {padTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS.length} style={{ height: padTop, padding: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            const href = hrefFor(row.id);
            return (
              <TableRow key={row.id} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }} className="group">
                {COLUMNS.map((column) => (
                  <TableCell key={column.key} className={cn('overflow-hidden text-ellipsis whitespace-nowrap', column.key === 'alias' && STICKY_CELL)}>
                    {column.cell(row, href)}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={COLUMNS.length} style={{ height: padBottom, padding: 0 }} />
            </tr>
          )}
        </TableBody>
      </Table>
      {/* Outside the wide table and sticky, so the message stays in view however the table is scrolled. */}
      {rows.length === 0 && <div className="sticky left-0 w-full px-6 py-12">{empty}</div>}
    </div>
  );
}
