/**
 * GET /api/keys/{keyId}/rotations?region=…[&marker=…]: one page of the rotation history (ListKeyRotations);
 * the first page also counts the on-demand rotations used against the per-key limit.
 */
import { clientsFor } from '@/lib/aws/clients';
import { jsonOrKmsError } from '@/lib/kms/key-detail-http';
import { countOnDemandRotations, listKeyRotations } from '@/lib/kms/key-rotation';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const ROTATIONS_PAGE_SIZE = 10;

async function get(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const search = new URL(request.url).searchParams;
  const { kms } = clientsFor(scopeOfRequest(request));
  const marker = search.get('marker') ?? undefined;
  return jsonOrKmsError(async () => {
    const [page, onDemandUsed] = await Promise.all([listKeyRotations(kms, keyId, { marker, limit: ROTATIONS_PAGE_SIZE }), marker ? undefined : countOnDemandRotations(kms, keyId)]);
    return { ...page, onDemandUsed };
  });
}

export const GET = withRole('viewer', get);
