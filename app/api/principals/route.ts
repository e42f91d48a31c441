/** GET /api/principals?region=…&account=…: the account root and the IAM users and roles seen calling KMS there (CloudTrail). */
import { errorInfo } from '@/lib/kms/inventory';
import { consolePrincipals } from '@/lib/kms/principals';
import { scopeOfRequest } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const scope = scopeOfRequest(request);
  try {
    return Response.json(await consolePrincipals(scope), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return Response.json({ error: errorInfo(error) }, { status: 502, headers: { 'cache-control': 'no-store' } });
  }
}

export const GET = withRole('viewer', get);
