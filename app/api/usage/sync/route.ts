/** GET /api/usage/sync: whether the CloudTrail sync is on, its rate, and where each account-region stands (progress, last sync, error). */
import { accountAllowed } from '@/lib/auth/account-scope';
import { withRole } from '@/lib/auth/route-guard';
import { currentUser } from '@/lib/auth/session';
import { ensureUsageSync, syncOverview } from '@/lib/usage/sync-job';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(_request: Request): Promise<Response> {
  ensureUsageSync();
  const user = await currentUser();
  const overview = await syncOverview();
  // Every account-region at once; a user limited to some accounts sees only theirs.
  const regions = user ? overview.regions.filter((r) => accountAllowed(user, r.account)) : [];
  return Response.json({ ...overview, regions }, { headers: { 'cache-control': 'no-store' } });
}

export const GET = withRole('viewer', get, { accountScoped: false });
