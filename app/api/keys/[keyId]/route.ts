/** GET /api/keys/{keyId}?region=…: one key's metadata, aliases, tags and rotation status. */
import { clientsFor } from '@/lib/aws/clients';
import { errorInfo } from '@/lib/kms/inventory';
import { loadKeyDetail } from '@/lib/kms/key-detail';
import { resolveScope } from '@/lib/kms/scope';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const search = new URL(request.url).searchParams;
  const scope = resolveScope(search.get('region'), search.get('account'));
  try {
    const detail = await loadKeyDetail(clientsFor(scope).kms, keyId);
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const info = errorInfo(error);
    return Response.json({ error: info }, { status: info.name === 'NotFoundException' ? 404 : 502, headers: { 'cache-control': 'no-store' } });
  }
}
