'use client';
/** Feeds the key detail view from the query cache (hydrated by the server page) and keeps the open tab in the URL (`?tab=`). */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { CircleAlert } from 'lucide-react';
import dynamic from 'next/dynamic';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { KeyDetailView } from '@/components/keys/key-detail';
import { PageHeader } from '@/components/shell/page-header';
import type { Scope } from '@/lib/kms/inventory-types';
import type { ActivityFilter } from '@/lib/kms/key-detail-types';
import { keyDetailQueries, publicKeyUrl } from '@/lib/queries/key-detail';
import { keyQueries } from '@/lib/queries/keys';
import { useKeyActions } from './use-key-actions';

// The policy editor (lib/policy, the diff, then CodeMirror), the grants panel, the playground's Use panel and the
// Usage tab load when their tab first opens, so they add nothing to the page's first load.
const loadingTab = (what: string) =>
  function Loading() {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the {what}…</p>;
  };
const KeyPolicyEditor = dynamic(() => import('@/components/policy/key-policy-editor').then((m) => m.KeyPolicyEditor), { ssr: false, loading: loadingTab('policy editor') });
const GrantsTab = dynamic(() => import('@/components/keys/detail/grants-tab'), { ssr: false, loading: loadingTab('grants') });
const KeyUsePanel = dynamic(() => import('@/components/playground/key-use-panel').then((m) => m.KeyUsePanel), { ssr: false, loading: loadingTab('playground') });
const KeyUsageTab = dynamic(() => import('@/components/usage/key-usage-tab').then((m) => m.KeyUsageTab), { ssr: false, loading: loadingTab('usage') });

const errorOf = (error: Error | null) => (error ? { name: error.name, message: error.message } : null);

export function KeyDetailPage({ scope, keyId, regions, mode }: { scope: Scope; keyId: string; regions: string[]; mode: 'demo' | 'aws' }) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const tab = searchParams.get('tab') ?? 'general';
  const detail = useQuery(keyQueries.detail(scope, keyId));
  // Sub-resources load when their tab is open; the id from DescribeKey also works when the URL names an alias.
  const id = detail.data?.row.id ?? keyId;
  // A customer managed key's policy tab is the editor, which loads its own data; an AWS managed key's shows the text.
  const policy = useQuery({ ...keyDetailQueries.policy(scope, id), enabled: tab === 'policy' && detail.data?.row.manager === 'AWS' });
  const rotations = useInfiniteQuery({ ...keyDetailQueries.rotations(scope, id), enabled: tab === 'rotation' && detail.data?.row.rotation != null });
  const [filter, setFilter] = useState<ActivityFilter>('no-reads');
  const activity = useInfiniteQuery({ ...keyDetailQueries.activity(scope, id, filter), enabled: tab === 'activity' && !!detail.data });
  const actions = useKeyActions(scope, id);
  // The region's inventory (the server caches it) suggests where an alias can move: same spec and usage.
  const inventory = useQuery({ ...keyQueries.list(scope), enabled: tab === 'aliases' && !!detail.data });
  const spec = detail.data?.row.spec;
  const usage = detail.data?.row.usage;
  const aliasTargets = useMemo(
    () =>
      (inventory.data?.keys ?? [])
        .filter((k) => k.id !== id && k.manager === 'CUSTOMER' && k.spec === spec && k.usage === usage && k.state !== 'PendingDeletion')
        .map((k) => ({ id: k.id, label: k.aliases[0] ?? (k.description || k.id) })),
    [inventory.data, id, spec, usage],
  );

  const onTabChange = useCallback(
    (next: string) => {
      const params = new URLSearchParams(window.location.search);
      if (next === 'general') params.delete('tab');
      else params.set('tab', next);
      // replaceState, not a navigation: no server round trip, and Next keeps useSearchParams in step.
      window.history.replaceState(null, '', `${pathname}?${params}`);
    },
    [pathname],
  );

  // Links keep the account when the URL names one (aws mode with several accounts).
  const accountParam = searchParams.get('account');
  const accountQuery = accountParam ? `&account=${encodeURIComponent(accountParam)}` : '';
  const keyHref = useCallback(
    (target: string, region = scope.region) => `/keys/${encodeURIComponent(target)}?region=${encodeURIComponent(region)}${accountQuery}`,
    [scope.region, accountQuery],
  );
  const backHref = `/keys?region=${encodeURIComponent(scope.region)}${accountQuery}`;

  if (detail.data) {
    const data = detail.data;
    return (
      <KeyDetailView
        detail={data}
        backHref={backHref}
        tab={tab}
        onTabChange={onTabChange}
        actions={actions}
        regions={regions}
        keyHref={keyHref}
        publicKeyUrl={(format) => publicKeyUrl(scope, id, format)}
        aliasTargets={aliasTargets}
        // The playground's actions for this key: encrypt, sign, MAC … with their CLI twins.
        extraTabs={[
          ...(data.row.state === 'Enabled' ? [{ value: 'use', label: 'Use', panel: <KeyUsePanel scope={scope} keyId={id} mode={mode} /> }] : []),
          { value: 'usage', label: 'Usage', panel: <KeyUsageTab region={scope.region} keyId={id} /> },
        ]}
        policy={{
          editor: data.row.manager === 'CUSTOMER' ? <KeyPolicyEditor scope={scope} keyId={id} /> : null,
          text: policy.data?.policy,
          error: errorOf(policy.error),
        }}
        grants={data.row.manager === 'CUSTOMER' ? <GrantsTab scope={scope} keyId={id} keyArn={data.arn} keyUsage={data.row.usage} account={data.account} /> : null}
        rotations={{
          rotations: rotations.data?.pages.flatMap((p) => p.rotations),
          onDemandUsed: rotations.data?.pages[0]?.onDemandUsed,
          error: errorOf(rotations.error),
          hasMore: rotations.hasNextPage,
          loadingMore: rotations.isFetchingNextPage,
          loadMore: () => void rotations.fetchNextPage(),
        }}
        activity={{
          events: activity.data?.pages.flatMap((p) => p.events),
          error: errorOf(activity.error),
          filter,
          onFilterChange: setFilter,
          hasMore: activity.hasNextPage,
          loadingMore: activity.isFetchingNextPage,
          loadMore: () => void activity.fetchNextPage(),
          refreshing: activity.isRefetching,
          refresh: () => void activity.refetch(),
        }}
      />
    );
  }
  return (
    <>
      <PageHeader title={keyId} />
      {detail.error ? (
        <div role="alert" className="mx-6 flex max-w-3xl gap-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm dark:border-red-500/40 dark:bg-red-500/10">
          <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600 dark:text-red-400" />
          <p>
            <span className="font-mono font-semibold">{detail.error.name}</span>: {detail.error.message}
          </p>
        </div>
      ) : (
        <p className="px-6 text-sm text-zinc-600 dark:text-zinc-400">Loading key…</p>
      )}
    </>
  );
}
