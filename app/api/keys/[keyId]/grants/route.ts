/** GET /api/keys/{keyId}/grants?region=…: the key's grants. */
import { clientsFor } from '@/lib/aws/clients';
import { listGrants } from '@/lib/kms/grants';
import { errorInfo } from '@/lib/kms/inventory';
import { scopeOfRequest } from '@/lib/kms/scope';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const scope = scopeOfRequest(request);
  try {
    const grants = await listGrants(clientsFor(scope).kms, decodeURIComponent(keyId));
    return Response.json(grants, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const info = errorInfo(error);
    return Response.json({ error: info }, { status: info.name === 'NotFoundException' ? 404 : 502, headers: { 'cache-control': 'no-store' } });
  }
}
