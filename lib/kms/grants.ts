/** A key's grants: list, create (the grant token is returned once), retire and revoke, through the KMS client. */
import 'server-only';
import { CreateGrantCommand, ListGrantsCommand, RetireGrantCommand, RevokeGrantCommand, type GrantOperation, type KMSClient } from '@aws-sdk/client-kms';
import type { GrantRow } from './key-policy-types';
import { withThrottleRetry } from './throttle-retry';

export async function listGrants(kms: KMSClient, keyId: string): Promise<GrantRow[]> {
  const rows: GrantRow[] = [];
  let marker: string | undefined;
  do {
    const page = await withThrottleRetry(() => kms.send(new ListGrantsCommand({ KeyId: keyId, Limit: 100, Marker: marker })));
    for (const g of page.Grants ?? []) {
      const constraints = g.Constraints
        ? {
            ...(g.Constraints.EncryptionContextEquals ? { encryptionContextEquals: g.Constraints.EncryptionContextEquals } : {}),
            ...(g.Constraints.EncryptionContextSubset ? { encryptionContextSubset: g.Constraints.EncryptionContextSubset } : {}),
          }
        : undefined;
      rows.push({
        grantId: g.GrantId ?? '',
        ...(g.Name ? { name: g.Name } : {}),
        granteePrincipal: g.GranteePrincipal ?? '',
        ...(g.RetiringPrincipal ? { retiringPrincipal: g.RetiringPrincipal } : {}),
        ...(g.IssuingAccount ? { issuingAccount: g.IssuingAccount } : {}),
        operations: g.Operations ?? [],
        ...(constraints && Object.keys(constraints).length > 0 ? { constraints } : {}),
        ...(g.CreationDate ? { createdAt: g.CreationDate.getTime() } : {}),
      });
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return rows.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
}

export interface CreateGrantInput {
  keyId: string;
  granteePrincipal: string;
  retiringPrincipal?: string;
  operations: GrantOperation[];
  name?: string;
  encryptionContextEquals?: Record<string, string>;
  encryptionContextSubset?: Record<string, string>;
}

export async function createGrant(kms: KMSClient, input: CreateGrantInput): Promise<{ grantId: string; grantToken: string }> {
  const constraints =
    input.encryptionContextEquals || input.encryptionContextSubset
      ? { EncryptionContextEquals: input.encryptionContextEquals, EncryptionContextSubset: input.encryptionContextSubset }
      : undefined;
  const out = await kms.send(
    new CreateGrantCommand({
      KeyId: input.keyId,
      GranteePrincipal: input.granteePrincipal,
      RetiringPrincipal: input.retiringPrincipal,
      Operations: input.operations,
      Name: input.name,
      Constraints: constraints,
    }),
  );
  return { grantId: out.GrantId ?? '', grantToken: out.GrantToken ?? '' };
}

export async function revokeGrant(kms: KMSClient, keyId: string, grantId: string): Promise<void> {
  await kms.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: grantId }));
}

/** RetireGrant by key and grant id: allowed to the retiring principal, the grantee (if RetireGrant is granted) and the account. */
export async function retireGrant(kms: KMSClient, keyArn: string, grantId: string): Promise<void> {
  await kms.send(new RetireGrantCommand({ KeyId: keyArn, GrantId: grantId }));
}
