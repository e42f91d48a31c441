/** GET /api/keys/{keyId}/grants?region=…: the key's grants. */
import { clientsFor } from '@/lib/aws/clients';
import { listGrants } from '@/lib/kms/grants';
import { jsonOrKmsError } from '@/lib/kms/key-detail-http';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const scope = scopeOfRequest(request);
  return jsonOrKmsError(() => listGrants(clientsFor(scope).kms, decodeURIComponent(keyId)));
}

export const GET = withRole('viewer', get);
