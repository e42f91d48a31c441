/** GET /api/keys?region=…[&refresh=1]: the region's key inventory, from the server's cache unless refresh is asked for. */
import { errorInfo } from '@/lib/kms/inventory';
import { getInventory } from '@/lib/kms/inventory-cache';
import { resolveScope } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';
import { RATE_LIMITS, rateLimit, throttledResponse } from '@/lib/security/rate-limit';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params.get('region'), params.get('account'));
  const verdict = params.get('refresh') === '1' ? rateLimit(`inventory-refresh:${scope.account}:${scope.region}`, RATE_LIMITS.inventoryRefresh) : undefined;
  if (verdict && !verdict.ok) return throttledResponse(verdict, `refreshing the inventory of ${scope.region}`);
  try {
    const inventory = await getInventory(scope, { force: params.get('refresh') === '1' });
    return Response.json(inventory, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    // A KMS failure (AccessDenied, an unreachable region …) goes to the browser by name and message.
    return Response.json({ error: errorInfo(error) }, { status: 502, headers: { 'cache-control': 'no-store' } });
  }
}

export const GET = withRole('viewer', get);
