/** GET /api/settings: the mode, and per account the resolved identity and which regions' KMS answers (checked now). */
import { settingsStatus } from '@/lib/aws/settings-status';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function get(_request: Request): Promise<Response> {
  // Failures of single checks are part of the answer; only a broken configuration fails the request.
  return Response.json(await settingsStatus(), { headers: { 'cache-control': 'no-store' } });
}

export const GET = withRole('viewer', get);
