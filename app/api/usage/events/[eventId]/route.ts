/** GET /api/usage/events/<eventId>?region=…: one stored CloudTrail record, for the drill-down. */
import { scopeOfRequest } from '@/lib/kms/scope';
import { sharedStore } from '@/lib/store/shared';
import { eventJson } from '@/lib/usage/aggregate';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(request: Request, { params }: { params: Promise<{ eventId: string }> }): Promise<Response> {
  const { eventId } = await params;
  const scope = scopeOfRequest(request);
  const store = await sharedStore();
  const json = await eventJson(store.db, scope.account, scope.region, eventId);
  if (json === undefined) return Response.json({ error: { name: 'NotFound', message: `No stored event ${eventId}.` } }, { status: 404 });
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    record = json;
  }
  return Response.json({ record }, { headers: { 'cache-control': 'no-store' } });
}

export const GET = withRole('viewer', get);
