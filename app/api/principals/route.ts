/** GET /api/principals?region=…&account=…: the account root and the IAM users and roles seen calling KMS there (CloudTrail). */
import { errorInfo } from '@/lib/kms/inventory';
import { consolePrincipals } from '@/lib/kms/principals';
import { scopeOfRequest } from '@/lib/kms/scope';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const scope = scopeOfRequest(request);
  try {
    return Response.json(await consolePrincipals(scope), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return Response.json({ error: errorInfo(error) }, { status: 502, headers: { 'cache-control': 'no-store' } });
  }
}
