/** GET /api/keys/{keyId}?region=…&account=…: one key's metadata, aliases, tags, rotation status, multi-Region set and last use. */
import { clientsFor } from '@/lib/aws/clients';
import { loadKeyDetail } from '@/lib/kms/key-detail';
import { jsonOrKmsError } from '@/lib/kms/key-detail-http';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const scope = scopeOfRequest(request);
  return jsonOrKmsError(() => loadKeyDetail(clientsFor(scope).kms, keyId));
}

export const GET = withRole('viewer', get);
