/** GET /api/playground/event?region=…&eventName=…&requestId=…&since=…: the CloudTrail event of one playground call, or null while it has not arrived. */
import { z } from 'zod';
import { clientsFor } from '@/lib/aws/clients';
import { errorInfo } from '@/lib/kms/inventory';
import { resolveScope } from '@/lib/kms/scope';
import { findCallEvent } from '@/lib/playground/trail';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const query = z.object({
  eventName: z.string().regex(/^[A-Za-z]{1,64}$/),
  requestId: z.string().min(1).max(128),
  since: z.coerce.number().int().positive(),
});

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params.get('region'));
  const parsed = query.safeParse(Object.fromEntries(params));
  const headers = { 'cache-control': 'no-store' };
  if (!parsed.success) return Response.json({ error: { name: 'ValidationException', message: 'eventName, requestId and since are required.' } }, { status: 400, headers });
  try {
    const event = await findCallEvent(clientsFor({ region: scope.region }).cloudtrail, parsed.data);
    return Response.json({ event }, { headers });
  } catch (error) {
    return Response.json({ error: errorInfo(error) }, { status: 502, headers });
  }
}

export const GET = withRole('operator', get);
