'use client';
/**
 * The key detail page's Grants tab: the policy editor's GrantsPanel (list, create with the token shown once,
 * retire, revoke), with the principals the console knows for this key as suggestions once they load.
 */
import { useQuery } from '@tanstack/react-query';
import { GrantsPanel } from '@/components/policy/grants-panel';
import type { Scope } from '@/lib/kms/inventory-types';
import { keyPolicyQueries } from '@/lib/queries/key-policy';

export function GrantsTab({ scope, keyId, keyArn, keyUsage, account }: { scope: Scope; keyId: string; keyArn: string; keyUsage: string; account: string }) {
  // The same query as the Key policy tab's, so opening both asks once; without it the form takes typed ARNs only.
  const policy = useQuery(keyPolicyQueries.policy(scope, keyId));
  return <GrantsPanel scope={scope} keyId={keyId} keyArn={keyArn} keyUsage={keyUsage} account={account} known={policy.data?.knownPrincipals ?? []} />;
}

export default GrantsTab;
