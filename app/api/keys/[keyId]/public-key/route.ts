/** GET /api/keys/{keyId}/public-key?region=…&format=pem|der: an asymmetric key's public key as a download. */
import { clientsFor } from '@/lib/aws/clients';
import { errorInfo } from '@/lib/kms/inventory';
import { getPublicKeyFiles } from '@/lib/kms/key-public-key';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request, { params }: { params: Promise<{ keyId: string }> }): Promise<Response> {
  const { keyId } = await params;
  const search = new URL(request.url).searchParams;
  const format = search.get('format') === 'der' ? 'der' : 'pem';
  try {
    const files = await getPublicKeyFiles(clientsFor(scopeOfRequest(request)).kms, keyId);
    // e.g. kms-1234abcd-…-public.pem; the key id is [a-zA-Z0-9-] only, so it is safe in the header.
    const filename = `kms-${files.keyId.replace(/[^a-zA-Z0-9-]/g, '_')}-public.${format}`;
    const body = format === 'der' ? Buffer.from(files.der) : files.pem;
    return new Response(body, {
      headers: {
        'content-type': format === 'der' ? 'application/pkix-spki' : 'application/x-pem-file',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    const info = errorInfo(error);
    return Response.json({ error: info }, { status: info.name === 'NotFoundException' ? 404 : 400, headers: { 'cache-control': 'no-store' } });
  }
}

export const GET = withRole('viewer', get);
