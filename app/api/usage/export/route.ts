/** GET /api/usage/export?region=…&range=…[filters][&at=&span=][&agent=]: every raw event of the view (as the events table narrows it) as CSV, streamed page by page. */
import { toCsv } from '@/lib/format/csv';
import { resolveScope } from '@/lib/kms/scope';
import { RATE_LIMITS, rateLimit, throttledResponse } from '@/lib/security/rate-limit';
import { sharedStore } from '@/lib/store/shared';
import { drillEvents, DrillError, parseDrill, type Drill } from '@/lib/usage-drill/events';
import { UsageRangeError } from '@/lib/usage/range';
import { filterOf, parseUsageQuery, storeWindowDays } from '@/lib/usage/report';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const HEADER = ['time', 'event_id', 'event_name', 'key_arn', 'caller', 'error_code', 'user_agent_family'];

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params.get('region'), params.get('account'));
  const verdict = rateLimit(`usage-export:${scope.region}`, RATE_LIMITS.usageExport);
  if (!verdict.ok) return throttledResponse(verdict, `usage exports of ${scope.region}`);
  const query = parseUsageQuery(params, scope.region, scope.account);
  const store = await sharedStore();
  let filter;
  let drill: Drill;
  try {
    filter = filterOf(query, scope.account, Math.floor(Date.now() / 1000), await storeWindowDays(store.db));
    drill = parseDrill(params);
  } catch (error) {
    if (error instanceof UsageRangeError || error instanceof DrillError) return Response.json({ error: { name: error.name, message: error.message } }, { status: 400, headers: { 'cache-control': 'no-store' } });
    throw error;
  }
  const encoder = new TextEncoder();
  let before: { time: number; eventId: string } | undefined;
  let first = true;
  // A page at a time: a 90-day export of a busy Region never sits in memory whole.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const page = await drillEvents(store.db, filter, drill, 1000, before);
      const rows = page.map((e) => [new Date(e.time * 1000).toISOString(), e.eventId, e.eventName, e.keyArn, e.principal, e.errorCode, e.userAgentFamily]);
      const csv = toCsv(HEADER, rows);
      controller.enqueue(encoder.encode(first ? csv : csv.slice(csv.indexOf('\r\n') + 2)));
      first = false;
      const last = page.at(-1);
      if (page.length < 1000 || !last) controller.close();
      else before = { time: last.time, eventId: last.eventId };
    },
  });
  const name = `keydeck-usage-${scope.region}-${query.range === 'custom' ? `${query.from}_${query.to}` : query.range}-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.csv`;
  return new Response(stream, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } });
}

export const GET = withRole('viewer', get);
