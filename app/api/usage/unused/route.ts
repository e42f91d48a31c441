/** GET /api/usage/unused?region=…&days=30|60|90: customer managed keys without a call (but Keydeck's) in that many days, and pending deletions still called. */
import { resolveScope } from '@/lib/kms/scope';
import { unusedKeysReport } from '@/lib/usage/report';
import { UNUSED_DAYS, type UnusedDays } from '@/lib/usage/unused';
import { withRole } from '@/lib/auth/route-guard';
import { publicErrorInfo } from '@/lib/security/public-error';
import { ensureUsageSync } from '@/lib/usage/sync-job';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const headers = { 'cache-control': 'no-store' };
  const days = Number(params.get('days') ?? '90');
  if (!(UNUSED_DAYS as readonly number[]).includes(days)) {
    return Response.json({ error: { name: 'ValidationException', message: `days must be one of ${UNUSED_DAYS.join(', ')}.` } }, { status: 400, headers });
  }
  ensureUsageSync();
  const scope = resolveScope(params.get('region'), params.get('account'));
  try {
    return Response.json(await unusedKeysReport(scope.region, days as UnusedDays, scope.account), { headers });
  } catch (error) {
    // The shared answer to an unexpected failure: AWS's and our own errors as they are, nothing else's message.
    return Response.json({ error: publicErrorInfo(error) }, { status: 500, headers });
  }
}

export const GET = withRole('viewer', get);
