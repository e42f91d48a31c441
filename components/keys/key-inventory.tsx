'use client';
/** The inventory screen: title with refresh and export, the two tabs AWS has, filters, and the table. */
import { GatedLinkButton } from '@/components/auth/gated-link-button';
import { CircleAlert } from 'lucide-react';
import { PageHeader } from '@/components/shell/page-header';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { KeyRow, KmsErrorInfo } from '@/lib/kms/inventory-types';
import type { InventoryView, Tab } from '@/lib/kms/inventory-view';
import type { FilterOptions } from '@/lib/kms/inventory-summary';
import { InventoryActions, InventoryToolbar } from './inventory-toolbar';
import { KeyTable } from './key-table';
import { RefreshedAgo } from './refreshed-ago';

export interface KeyInventoryProps {
  region: string;
  rows: KeyRow[];
  /** Keys matching the view; more than `rows` while only the first screen has arrived. */
  matching: number;
  counts: Record<Tab, number>;
  view: InventoryView;
  search: string;
  onSearchChange: (q: string) => void;
  onViewChange: (change: Partial<InventoryView>) => void;
  options: FilterOptions;
  refreshedAt?: number;
  refreshing: boolean;
  onRefresh: () => void;
  onExport: () => void;
  hrefFor: (keyId: string) => string;
  /** The wizard in the same account and region. */
  createHref: string;
  error: KmsErrorInfo | null;
  /** Nothing to show yet: neither the server's first screen nor the inventory. */
  loading: boolean;
  /** The whole inventory is in the browser (export works on all matching rows, not the first screen). */
  complete: boolean;
  emptyHint?: React.ReactNode;
}

// A fixed locale: the server's and the browser's must produce the same text for hydration.
const count = (n: number) => n.toLocaleString('en-US');

const TAB_TITLES: Record<Tab, string> = { customer: 'Customer managed keys', aws: 'AWS managed keys' };

export function KeyInventory(props: KeyInventoryProps) {
  const { region, rows, matching, counts, view, onViewChange, refreshedAt, refreshing, onRefresh, onExport, hrefFor, createHref, error, loading, complete, emptyHint } = props;
  const total = counts[view.tab];
  const filtered = matching !== total;

  const empty =
    total === 0 ? (
      <div className="mx-auto max-w-lg text-center text-sm text-zinc-600 dark:text-zinc-400">
        {view.tab === 'customer' ? (
          <>
            <p className="font-medium text-zinc-900 dark:text-zinc-100">No customer managed keys in {region}.</p>
            {emptyHint}
          </>
        ) : (
          <p>No AWS managed keys in {region}. AWS creates one (alias/aws/…) the first time a service such as S3 or EBS encrypts data for you there.</p>
        )}
      </div>
    ) : (
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">No keys match this search and these filters.</p>
    );

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader
        title="Keys"
        description={
          <>
            KMS keys in <span className="font-mono">{region}</span>
            {refreshedAt !== undefined && (
              <>
                {' · '}
                <RefreshedAgo at={refreshedAt} />
              </>
            )}
          </>
        }
        actions={
          <>
            <InventoryActions refreshing={refreshing} onRefresh={onRefresh} onExport={onExport} exportDisabled={!complete || matching === 0} />
            <GatedLinkButton needed="admin" variant="primary" href={createHref}>Create key</GatedLinkButton>
          </>
        }
      />
      {error && (
        <div role="alert" className="mx-6 mb-3 flex gap-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" />
          <div>
            <p className="font-medium text-red-800 dark:text-red-300">Could not load the keys of {region}</p>
            <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">
              <span className="font-mono font-semibold">{error.name}</span>: {error.message}
            </p>
          </div>
        </div>
      )}
      <Tabs value={view.tab} onValueChange={(tab) => onViewChange({ tab: tab as Tab })} className="flex min-h-0 flex-1 flex-col">
        <TabsList aria-label="Key types" className="mx-6 mb-3">
          {(['customer', 'aws'] as const).map((tab) => (
            <TabsTrigger key={tab} value={tab}>
              {TAB_TITLES[tab]}
              <span className="rounded-full bg-zinc-200 px-1.5 text-xs tabular-nums text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{count(counts[tab])}</span>
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value={view.tab} className="flex min-h-0 flex-1 flex-col">
          <InventoryToolbar view={view} search={props.search} onSearchChange={props.onSearchChange} onViewChange={onViewChange} options={props.options} />
          <p aria-live="polite" className="px-6 pb-2 text-sm text-zinc-600 dark:text-zinc-400">
            {loading ? 'Loading keys…' : filtered ? `Showing ${count(matching)} of ${count(total)} keys` : `${count(total)} ${total === 1 ? 'key' : 'keys'}`}
          </p>
          <div className="mx-6 mb-6 flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <KeyTable
              rows={rows}
              rowCount={matching}
              sort={view.sort}
              dir={view.dir}
              onSort={(sort, dir) => onViewChange({ sort, dir })}
              hrefFor={hrefFor}
              caption={`${TAB_TITLES[view.tab]} in ${region}`}
              empty={loading ? <p className="text-center text-sm text-zinc-500">Loading keys…</p> : empty}
            />
          </div>
        </TabsContent>
      </Tabs>
    </div>
  );
}
