/** GET /api/keys/{keyId}/policy?region=…: the key policy with what the editor needs (key usage, caller, known principals, history). */
import { clientsFor } from '@/lib/aws/clients';
import { errorInfo } from '@/lib/kms/inventory';
import { loadKeyPolicy } from '@/lib/kms/key-policy';
import { scopeOfRequest } from '@/lib/kms/scope';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const scope = scopeOfRequest(request);
  try {
    const payload = await loadKeyPolicy(clientsFor(scope), decodeURIComponent(keyId), scope.region);
    return Response.json(payload, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const info = errorInfo(error);
    return Response.json({ error: info }, { status: info.name === 'NotFoundException' ? 404 : 502, headers: { 'cache-control': 'no-store' } });
  }
}
