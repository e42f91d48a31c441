/** The emulator's AWS JSON 1.1 endpoint in demo mode: point any SDK or the AWS CLI at `<origin>/api/kms`. */
import { sharedEmulator } from '@/lib/aws/shared-emulator';
import { getConfig } from '@/lib/config';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (getConfig().mode !== 'demo') return new Response('Not Found', { status: 404 });
  return sharedEmulator().handle(request);
}
