/** The emulator's AWS JSON 1.1 endpoint in demo mode: point any SDK or the AWS CLI at `<origin>/api/kms`. */
import { sharedEmulator } from '@/lib/aws/shared-emulator';
import { getConfig } from '@/lib/config';
import { INVENTORY_CHANGING_OPERATIONS, invalidateInventory } from '@/lib/kms/inventory-cache';
import { KMS_MAX_BODY_BYTES, withBodyWithin } from '@/lib/security/body-limit';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// The region is the SigV4 credential scope's: `Credential=AKID/20261123/eu-west-1/kms/aws4_request`.
const SCOPE_REGION = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/kms\//;

export async function POST(incoming: Request): Promise<Response> {
  if (getConfig().mode !== 'demo') return new Response('Not Found', { status: 404 });
  const request = await withBodyWithin(incoming, KMS_MAX_BODY_BYTES);
  if (request instanceof Response) return request;
  const operation = request.headers.get('x-amz-target')?.replace(/^TrentService\./, '');
  const response = await sharedEmulator().handle(request);
  // A change made from the CLI or an SDK shows in the console's inventory on its next read.
  if (response.ok && operation && INVENTORY_CHANGING_OPERATIONS.has(operation)) {
    const region = SCOPE_REGION.exec(request.headers.get('authorization') ?? '')?.[1];
    if (region) invalidateInventory(region);
  }
  return response;
}
