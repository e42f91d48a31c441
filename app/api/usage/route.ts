/** GET /api/usage?region=…[&account=…]&range=24h|7d|30d|90d|custom[&from=&to=][&key=…&op=…&caller=…&error=…]: the usage report (charts and cost). */
import { resolveScope } from '@/lib/kms/scope';
import { parseUsageQuery, usageReport } from '@/lib/usage/report';
import { ensureUsageSync } from '@/lib/usage/sync-job';
import { withRole } from '@/lib/auth/route-guard';
import { publicErrorInfo } from '@/lib/security/public-error';
import { UsageRangeError } from '@/lib/usage/range';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  ensureUsageSync();
  const scope = resolveScope(params.get('region'), params.get('account'));
  try {
    const report = await usageReport(parseUsageQuery(params, scope.region, scope.account));
    return Response.json(report, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof UsageRangeError) return Response.json({ error: { name: error.name, message: error.message } }, { status: 400, headers: { 'cache-control': 'no-store' } });
    // The shared answer to an unexpected failure: AWS's and our own errors as they are, nothing else's message.
    return Response.json({ error: publicErrorInfo(error) }, { status: 500, headers: { 'cache-control': 'no-store' } });
  }
}

export const GET = withRole('viewer', get);
