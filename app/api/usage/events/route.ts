/**
 * GET /api/usage/events?region=…&range=…[filters][&at=<bucket start>&span=3600|86400][&agent=<user agent family>][&before=<time>:<eventId>]:
 * raw events, newest first, 200 a page; `at`/`span` and `agent` narrow the table past the charts' filter (lib/usage-drill).
 */
import { resolveScope } from '@/lib/kms/scope';
import { sharedStore } from '@/lib/store/shared';
import { drillEvents, DrillError, parseDrill, type Drill } from '@/lib/usage-drill/events';
import { UsageRangeError } from '@/lib/usage/range';
import { filterOf, parseUsageQuery, storeWindowDays } from '@/lib/usage/report';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const PAGE = 200;

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params.get('region'), params.get('account'));
  const store = await sharedStore();
  let filter;
  let drill: Drill;
  try {
    filter = filterOf(parseUsageQuery(params, scope.region, scope.account), scope.account, Math.floor(Date.now() / 1000), await storeWindowDays(store.db));
    drill = parseDrill(params);
  } catch (error) {
    if (error instanceof UsageRangeError || error instanceof DrillError) return Response.json({ error: { name: error.name, message: error.message } }, { status: 400, headers: { 'cache-control': 'no-store' } });
    throw error;
  }
  const cursor = /^(\d+):(.{1,64})$/.exec(params.get('before') ?? '');
  const events = await drillEvents(store.db, filter, drill, PAGE, cursor ? { time: Number(cursor[1]), eventId: cursor[2] } : undefined);
  const last = events.at(-1);
  return Response.json({ events, next: events.length === PAGE && last ? `${last.time}:${last.eventId}` : null }, { headers: { 'cache-control': 'no-store' } });
}

export const GET = withRole('viewer', get);
