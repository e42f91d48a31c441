/** GET /api/usage/sync: where the CloudTrail sync of each Region stands (progress, last sync, error). */
import { ensureUsageSync, syncStatus } from '@/lib/usage/sync-job';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(_request: Request): Promise<Response> {
  ensureUsageSync();
  return Response.json({ regions: await syncStatus() }, { headers: { 'cache-control': 'no-store' } });
}

export const GET = withRole('viewer', get);
