/** GET /api/audit/verdict[?full=1]: whether the audit log's hash chain is intact (see lib/audit/verdict.ts). */
import { auditChainStatus } from '@/lib/audit/verdict';
import { sharedStore } from '@/lib/store/shared';
import { withRole } from '@/lib/auth/route-guard';
import { RATE_LIMITS, rateLimit, throttledResponse } from '@/lib/security/rate-limit';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request): Promise<Response> {
  const full = new URL(request.url).searchParams.get('full') === '1';
  if (full) {
    const verdict = rateLimit('audit-verify-full', RATE_LIMITS.auditVerifyFull);
    if (!verdict.ok) return throttledResponse(verdict, 'full audit chain checks');
  }
  const status = await auditChainStatus(await sharedStore(), { full });
  return Response.json(status, { headers: { 'cache-control': 'no-store' } });
}

// The console's own log (or the learner's progress): no AWS account's data.
export const GET = withRole('viewer', get, { accountScoped: false });
