/** GET /api/keys/{keyId}/policy?region=…: the key policy with what the editor needs (key usage, caller, known principals, history). */
import { clientsFor } from '@/lib/aws/clients';
import { jsonOrKmsError } from '@/lib/kms/key-detail-http';
import { loadKeyPolicy } from '@/lib/kms/key-policy';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const scope = scopeOfRequest(request);
  return jsonOrKmsError(() => loadKeyPolicy(clientsFor(scope), decodeURIComponent(keyId), scope.region, scope.account));
}

export const GET = withRole('viewer', get);
