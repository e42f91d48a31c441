/** GET /api/keys/{keyId}/activity?region=…[&filter=all|no-reads|changes][&next=…]: the key's recent CloudTrail events. */
import { clientsFor } from '@/lib/aws/clients';
import { listKeyActivity } from '@/lib/kms/key-activity';
import { describeKey } from '@/lib/kms/key-detail';
import type { ActivityFilter } from '@/lib/kms/key-detail-types';
import { jsonOrKmsError } from '@/lib/kms/key-detail-http';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const FILTERS: readonly ActivityFilter[] = ['all', 'no-reads', 'changes'];

async function get(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const search = new URL(request.url).searchParams;
  const clients = clientsFor(scopeOfRequest(request));
  const wanted = search.get('filter') as ActivityFilter | null;
  const filter = wanted && FILTERS.includes(wanted) ? wanted : 'no-reads';
  return jsonOrKmsError(async () => {
    // CloudTrail names the key by its ARN; an alias or a bare id is resolved first.
    const arn = keyId.startsWith('arn:') ? keyId : ((await describeKey(clients.kms, keyId)).Arn ?? keyId);
    return listKeyActivity(clients.cloudtrail, arn, { filter, nextToken: search.get('next') ?? undefined });
  });
}

export const GET = withRole('viewer', get);
