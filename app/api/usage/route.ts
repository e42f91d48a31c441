/** GET /api/usage?region=…&range=24h|7d|30d|90d[&key=…&op=…&caller=…&error=…]: the usage report (charts and cost). */
import { resolveScope } from '@/lib/kms/scope';
import { parseUsageQuery, usageReport } from '@/lib/usage/report';
import { ensureUsageSync } from '@/lib/usage/sync-job';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  ensureUsageSync();
  const scope = resolveScope(params.get('region'));
  try {
    const report = await usageReport(parseUsageQuery(params, scope.region));
    return Response.json(report, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return Response.json({ error: { name, message } }, { status: 500, headers: { 'cache-control': 'no-store' } });
  }
}

export const GET = withRole('viewer', get);
