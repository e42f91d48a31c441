'use client';
/** Connects the inventory screen to its data (TanStack Query) and to the URL, which holds the whole view. */
import { useQuery } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { KeyInventory } from '@/components/keys/key-inventory';
import { useToast } from '@/components/ui/toast';
import { inventoryCsv } from '@/lib/kms/inventory-csv';
import { summarize, type FirstScreen } from '@/lib/kms/inventory-summary';
import type { Scope } from '@/lib/kms/inventory-types';
import { filterRows, parseView, sortRows, viewToParams, type InventoryView } from '@/lib/kms/inventory-view';
import { keyQueries, useRefreshInventory } from '@/lib/queries/keys';

/** `first` is the server's first screen of the view, shown until the whole inventory has arrived. */
export function KeysView({ scope, first, demo }: { scope: Scope; first: FirstScreen | null; demo: boolean }) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const toast = useToast();
  const inventory = useQuery(keyQueries.list(scope));
  const refresh = useRefreshInventory(scope);
  const urlView = useMemo(() => parseView(searchParams), [searchParams]);

  // The search box has its own state so typing never waits on the URL; the URL follows it.
  const [search, setSearch] = useState(urlView.q);
  const [syncedQ, setSyncedQ] = useState(urlView.q);
  if (urlView.q !== syncedQ) {
    // The URL changed from outside (back button, a link): take its search.
    setSyncedQ(urlView.q);
    setSearch(urlView.q);
  }

  const writeUrl = useCallback(
    (view: InventoryView) => {
      const params = viewToParams(view, new URLSearchParams(window.location.search));
      // replaceState, not a navigation: no server round trip, and Next keeps useSearchParams in step.
      window.history.replaceState(null, '', `${pathname}?${params}`);
    },
    [pathname],
  );

  const onSearchChange = (q: string) => {
    setSearch(q);
    setSyncedQ(q);
    writeUrl({ ...urlView, q });
  };
  const onViewChange = (change: Partial<InventoryView>) => writeUrl({ ...urlView, q: search, ...change });

  const view: InventoryView = { ...urlView, q: search };
  // Filtering 10,000 rows per keystroke stays responsive when it may lag the input by a frame.
  const deferredView = useDeferredValue(view);
  const keys = inventory.data?.keys;

  const allRows = useMemo(() => (keys ? sortRows(filterRows(keys, deferredView), deferredView.sort, deferredView.dir) : null),
    // deferredView is a fresh object each render; its fields are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [keys, deferredView.tab, deferredView.q, deferredView.status, deferredView.spec, deferredView.usage, deferredView.origin, deferredView.rotation, deferredView.tag, deferredView.sort, deferredView.dir]);
  const summary = useMemo(() => (keys ? summarize(keys) : first), [keys, first]);
  const rows = allRows ?? first?.rows ?? [];

  const onRefresh = () =>
    refresh.mutate(undefined, {
      onError: (error) => toast({ tone: 'error', title: 'Refresh failed', description: `${error.name}: ${error.message}` }),
    });

  const onExport = () => {
    if (!allRows) return;
    const blob = new Blob([inventoryCsv(allRows)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `keydeck-keys-${scope.region}-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
    toast({ tone: 'success', title: 'CSV exported', description: `${allRows.length} ${allRows.length === 1 ? 'key' : 'keys'}, as filtered and sorted.` });
  };

  // The URL names the account only when it is not the default one; a key's link and the wizard's keep it.
  const accountParam = searchParams.get('account');
  const scopeQuery = `region=${encodeURIComponent(scope.region)}${accountParam ? `&account=${encodeURIComponent(accountParam)}` : ''}`;
  const hrefFor = useCallback((keyId: string) => `/keys/${encodeURIComponent(keyId)}?${scopeQuery}`, [scopeQuery]);
  const error = inventory.error ? { name: inventory.error.name, message: inventory.error.message } : null;

  return (
    <KeyInventory
      region={scope.region}
      rows={rows}
      matching={allRows?.length ?? first?.matching ?? 0}
      counts={summary?.counts ?? { customer: 0, aws: 0 }}
      view={view}
      search={search}
      onSearchChange={onSearchChange}
      onViewChange={onViewChange}
      options={summary?.options ?? { statuses: [], specs: [], usages: [], origins: [], tags: [] }}
      refreshedAt={inventory.data?.refreshedAt ?? first?.refreshedAt}
      refreshing={refresh.isPending}
      onRefresh={onRefresh}
      onExport={onExport}
      hrefFor={hrefFor}
      createHref={`/keys/new?${scopeQuery}`}
      error={error}
      loading={!keys && !first && !inventory.error}
      complete={allRows !== null}
      emptyHint={
        demo ? (
          <p className="mt-2">
            Create one with Create key above, or from a terminal: the AWS CLI with <code className="font-mono text-xs whitespace-nowrap">--endpoint-url</code> set to this console&apos;s{' '}
            <code className="font-mono text-xs whitespace-nowrap">/api/kms</code> and <code className="font-mono text-xs whitespace-nowrap">--region {scope.region}</code>.
          </p>
        ) : null
      }
    />
  );
}
