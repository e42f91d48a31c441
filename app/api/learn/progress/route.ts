/** GET /api/learn/progress: the learner's saved steps of every scenario (status and reason). */
import { learnerProgress } from '@/lib/learn/server';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  return Response.json({ progress: await learnerProgress() }, { headers: { 'cache-control': 'no-store' } });
}
