/** GET /api/audit?[filters][&before=<seq>]: the console's audit log, newest first, a page at a time. */
import { listAuditEntries } from '@/lib/audit/log';
import { parseAuditQuery, toAuditFilter } from '@/lib/audit/query';
import { sharedStore } from '@/lib/store/shared';
import { withRole } from '@/lib/auth/route-guard';
import { currentUser } from '@/lib/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const AUDIT_PAGE = 100;

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  // A user limited to some accounts sees only those accounts' entries.
  const filter = { ...toAuditFilter(parseAuditQuery((n) => params.get(n))), accounts: (await currentUser())?.accounts ?? undefined };
  const before = /^\d{1,15}$/.test(params.get('before') ?? '') ? Number(params.get('before')) : undefined;
  const store = await sharedStore();
  const entries = await listAuditEntries(store.db, filter, { limit: AUDIT_PAGE, before });
  const last = entries.at(-1);
  return Response.json({ entries, next: entries.length === AUDIT_PAGE && last ? String(last.seq) : null }, { headers: { 'cache-control': 'no-store' } });
}

// The console's own log (or the learner's progress): no AWS account's data.
export const GET = withRole('viewer', get, { accountScoped: false });
