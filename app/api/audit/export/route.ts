/** GET /api/audit/export?[filters]: every entry of the filtered view as CSV, newest first, streamed a page at a time. */
import { toCsv } from '@/lib/format/csv';
import { listAuditEntries, type AuditEntry } from '@/lib/audit/log';
import { parseAuditQuery, toAuditFilter } from '@/lib/audit/query';
import { sharedStore } from '@/lib/store/shared';
import { withRole } from '@/lib/auth/route-guard';
import { currentUser } from '@/lib/auth/session';
import { RATE_LIMITS, rateLimit, throttledResponse } from '@/lib/security/rate-limit';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const HEADER = [
  'seq', 'time', 'actor_id', 'actor_name', 'actor_role', 'actor_provider', 'ip', 'user_agent', 'account', 'region', 'key_id',
  'action', 'outcome', 'error_name', 'error_message', 'request_ids', 'parameters', 'redacted', 'prev_hash', 'hash',
];
const PAGE = 1000;

const row = (e: AuditEntry) => [
  String(e.seq), new Date(e.timeMs).toISOString(), e.actor.id, e.actor.name, e.actor.role, e.actor.provider, e.ip, e.userAgent, e.account, e.region, e.keyId,
  e.action, e.outcome, e.errorName, e.errorMessage, e.requestIds.join(' '), JSON.stringify(e.params), e.redacted.join(' '), e.prevHash, e.hash,
];

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const user = await currentUser();
  const verdict = rateLimit(`audit-export:${user?.id ?? ''}`, RATE_LIMITS.auditExport);
  if (!verdict.ok) return throttledResponse(verdict, 'audit exports');
  // A user limited to some accounts exports only those accounts' entries.
  const filter = { ...toAuditFilter(parseAuditQuery((n) => params.get(n))), accounts: user?.accounts ?? undefined };
  const store = await sharedStore();
  const encoder = new TextEncoder();
  let before: number | undefined;
  let first = true;
  // A page at a time: an export of a million entries never sits in memory whole.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const page = await listAuditEntries(store.db, filter, { limit: PAGE, before });
      const csv = toCsv(HEADER, page.map(row));
      controller.enqueue(encoder.encode(first ? csv : csv.slice(csv.indexOf('\r\n') + 2)));
      first = false;
      const last = page.at(-1);
      if (page.length < PAGE || !last) controller.close();
      else before = last.seq;
    },
  });
  const name = `keydeck-audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.csv`;
  return new Response(stream, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } });
}

// The console's own log (or the learner's progress): no AWS account's data.
export const GET = withRole('viewer', get, { accountScoped: false });
