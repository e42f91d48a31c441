/** GET /api/keys/{keyId}/grants?region=…: the key's grants. */
import { clientsFor } from '@/lib/aws/clients';
import { listGrants } from '@/lib/kms/grants';
import { errorInfo } from '@/lib/kms/inventory';
import { resolveScope } from '@/lib/kms/scope';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const scope = resolveScope(new URL(request.url).searchParams.get('region'));
  try {
    const grants = await listGrants(clientsFor({ region: scope.region }).kms, decodeURIComponent(keyId));
    return Response.json(grants, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const info = errorInfo(error);
    return Response.json({ error: info }, { status: info.name === 'NotFoundException' ? 404 : 502, headers: { 'cache-control': 'no-store' } });
  }
}
