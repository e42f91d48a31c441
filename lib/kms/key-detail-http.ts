/** How the key detail's route handlers answer: JSON, never cached, a KMS error by name and message (404 for NotFoundException). */
import 'server-only';
import { publicErrorInfo } from '@/lib/security/public-error';

const NO_STORE = { 'cache-control': 'no-store' };

export async function jsonOrKmsError(load: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await load(), { headers: NO_STORE });
  } catch (error) {
    const info = publicErrorInfo(error);
    const status = info.name === 'NotFoundException' ? 404 : error instanceof Error && '$fault' in error && error.$fault === 'client' ? 400 : 502;
    return Response.json({ error: info }, { status, headers: NO_STORE });
  }
}
