/** GET /api/learn/progress: the learner's saved steps of every scenario (status and reason). */
import { learnerProgress } from '@/lib/learn/server';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(): Promise<Response> {
  return Response.json({ progress: await learnerProgress() }, { headers: { 'cache-control': 'no-store' } });
}

// The console's own log (or the learner's progress): no AWS account's data.
export const GET = withRole('viewer', get, { accountScoped: false });
