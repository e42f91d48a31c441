/** GET /api/usage/key?region=…&key=<key id or ARN>&range=7d|30d|90d: one key's calls by API and caller, and its cost per month. */
import { resolveScope } from '@/lib/kms/scope';
import { RANGES, type RangeName } from '@/lib/usage/aggregate';
import { keyUsageReport } from '@/lib/usage/report';
import { ensureUsageSync } from '@/lib/usage/sync-job';
import { withRole } from '@/lib/auth/route-guard';
import { publicErrorInfo } from '@/lib/security/public-error';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  ensureUsageSync();
  const scope = resolveScope(params.get('region'), params.get('account'));
  const key = params.get('key') ?? '';
  const range = params.get('range') ?? '30d';
  const headers = { 'cache-control': 'no-store' };
  if (!key || key.length > 2048) return Response.json({ error: { name: 'ValidationException', message: 'key is required.' } }, { status: 400, headers });
  try {
    const report = await keyUsageReport(scope.region, key, range in RANGES ? (range as RangeName) : '30d', scope.account);
    if (!report) return Response.json({ error: { name: 'NotFoundException', message: `Key ${key} is not in ${scope.region}.` } }, { status: 404, headers });
    return Response.json(report, { headers });
  } catch (error) {
    // The shared answer to an unexpected failure: AWS's and our own errors as they are, nothing else's message.
    return Response.json({ error: publicErrorInfo(error) }, { status: 500, headers });
  }
}

export const GET = withRole('viewer', get);
