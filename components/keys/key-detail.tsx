'use client';
/**
 * The key detail screen: a header with the key's name, state and lifecycle actions, then one tab per
 * aspect of the key. The tab list is data (`DetailTab[]`): another feature adds its tab through `extraTabs`.
 */
import { ArrowLeft } from 'lucide-react';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useState } from 'react';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { formatDateTime } from '@/lib/format/date';
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { KeyStatusBadge } from './key-cells';
import type { ActivityView } from './detail/activity-panel';
import type { AliasTarget } from './detail/aliases-panel';
import { CryptoPanel } from './detail/crypto-panel';
import { GeneralPanel } from './detail/general-panel';
import { LifecycleActions } from './detail/lifecycle-actions';
import { Notice } from './detail/parts';
import { PolicyPanel } from './detail/policy-panel';
import { PublicKeyPanel } from './detail/public-key-panel';
import type { RotationHistory } from './detail/rotation-panel';
import type { KeyDetailActions } from './detail/types';

// Tabs past the first screen load with their tab (server-rendered when the URL opens them), keeping the page's
// first-load JS under its 200 KB budget.
const loading = () => <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>;
const RotationPanel = dynamic(() => import('./detail/rotation-panel').then((m) => m.RotationPanel), { loading });
const AliasesPanel = dynamic(() => import('./detail/aliases-panel').then((m) => m.AliasesPanel), { loading });
const TagsPanel = dynamic(() => import('./detail/tags-panel').then((m) => m.TagsPanel), { loading });
const RegionalityPanel = dynamic(() => import('./detail/regionality-panel').then((m) => m.RegionalityPanel), { loading });
const ActivityPanel = dynamic(() => import('./detail/activity-panel').then((m) => m.ActivityPanel), { loading });

export interface DetailTab {
  /** The `?tab=` value. */
  value: string;
  label: string;
  panel: React.ReactNode;
  /** Stays mounted (hidden) once opened, so unsaved work such as a policy draft survives a tab switch. */
  keepMounted?: boolean;
  /** Wants the page's full width (the policy editor's two columns). */
  wide?: boolean;
}

export interface KeyDetailViewProps {
  detail: KeyDetail;
  backHref: string;
  tab: string;
  onTabChange: (tab: string) => void;
  actions: KeyDetailActions;
  /** The policy editor (customer managed keys), else the policy read-only as text. */
  policy: { editor: React.ReactNode | null; text: string | undefined; error: KmsErrorInfo | null };
  /** The grants panel (customer managed keys). */
  grants: React.ReactNode | null;
  rotations: RotationHistory;
  activity: ActivityView;
  regions: string[];
  keyHref: (keyId: string, region?: string) => string;
  publicKeyUrl: (format: 'pem' | 'der') => string;
  /** Keys an alias of this key can move to (same spec and usage), once the region's inventory is loaded. */
  aliasTargets: AliasTarget[];
  /** Tabs of other features (the Use playground …), placed after Cryptographic configuration. */
  extraTabs?: DetailTab[];
}

export function KeyDetailView(props: KeyDetailViewProps) {
  const { detail, actions } = props;
  const { row } = detail;
  const tabs: DetailTab[] = [
    { value: 'general', label: 'General configuration', panel: <GeneralPanel detail={detail} actions={actions} /> },
    props.policy.editor
      ? { value: 'policy', label: 'Key policy', panel: props.policy.editor, keepMounted: true, wide: true }
      : { value: 'policy', label: 'Key policy', panel: <PolicyPanel policy={props.policy.text} error={props.policy.error} /> },
    ...(props.grants ? [{ value: 'grants', label: 'Grants', panel: props.grants, keepMounted: true }] : []),
    { value: 'crypto', label: 'Cryptographic configuration', panel: <CryptoPanel detail={detail} /> },
    ...(props.extraTabs ?? []),
    { value: 'rotation', label: 'Key rotation', panel: <RotationPanel detail={detail} history={props.rotations} actions={actions} keyHref={(id) => props.keyHref(id)} /> },
    { value: 'aliases', label: 'Aliases', panel: <AliasesPanel detail={detail} actions={actions} targets={props.aliasTargets} /> },
    { value: 'tags', label: 'Tags', panel: <TagsPanel detail={detail} actions={actions} /> },
    ...(row.type === 'Asymmetric' ? [{ value: 'public-key', label: 'Public key', panel: <PublicKeyPanel detail={detail} urlFor={props.publicKeyUrl} /> }] : []),
    { value: 'regionality', label: 'Regionality', panel: <RegionalityPanel detail={detail} regions={props.regions} action={actions.replicate} keyHref={props.keyHref} /> },
    { value: 'activity', label: 'Recent activity', panel: <ActivityPanel view={props.activity} /> },
  ];
  const current = tabs.some((t) => t.value === props.tab) ? props.tab : 'general';
  const [visited, setVisited] = useState<ReadonlySet<string>>(() => new Set([current]));
  if (!visited.has(current)) setVisited(new Set([...visited, current]));

  return (
    <>
      <PageHeader
        title={row.aliases[0] ?? row.id}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{row.id}</span>
            <KeyStatusBadge row={row} />
            <span>{row.manager === 'AWS' ? 'AWS managed' : 'Customer managed'}</span>
            <span>·</span>
            <span>{detail.region}</span>
          </span>
        }
        actions={
          <>
            <Button asChild variant="ghost">
              <Link href={props.backHref}>
                <ArrowLeft aria-hidden="true" /> All keys
              </Link>
            </Button>
            <LifecycleActions detail={detail} actions={actions} />
          </>
        }
      />
      <div className={cn('mx-6 mb-6 grid grid-cols-[minmax(0,1fr)] gap-4', tabs.find((t) => t.value === current)?.wide ? 'max-w-7xl' : 'max-w-5xl')}>
        {row.manager === 'AWS' && <Notice>AWS managed key: AWS creates, rotates and deletes it for the service that uses it. You can view it, not change it.</Notice>}
        {(row.state === 'PendingDeletion' || row.state === 'PendingReplicaDeletion') && (
          <Notice tone="danger">
            <strong>Scheduled for deletion</strong>
            {row.deletionAt !== undefined && <> on {formatDateTime(row.deletionAt)}</>}. It cannot be used meanwhile. <strong>Cancel deletion</strong> to keep it: the key then
            stays <strong>Disabled</strong>, as AWS leaves it, until you enable it.
          </Notice>
        )}
        <Tabs value={current} onValueChange={props.onTabChange} className="min-w-0">
          <TabsList aria-label="Key details" className="overflow-x-auto">
            {tabs.map((t) => (
              <TabsTrigger key={t.value} value={t.value} className="whitespace-nowrap">
                {t.label}
              </TabsTrigger>
            ))}
          </TabsList>
          {tabs.map((t) => (
            <TabsContent key={t.value} value={t.value} className="pt-4" tabIndex={0} forceMount={t.keepMounted === true && visited.has(t.value)}>
              {t.panel}
            </TabsContent>
          ))}
        </Tabs>
      </div>
    </>
  );
}
