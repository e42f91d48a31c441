/** GET /api/usage/sync: where the CloudTrail sync of each Region stands (progress, last sync, error). */
import { ensureUsageSync, syncStatus } from '@/lib/usage/sync-job';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  ensureUsageSync();
  return Response.json({ regions: await syncStatus() }, { headers: { 'cache-control': 'no-store' } });
}
