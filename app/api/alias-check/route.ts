/** GET /api/alias-check?region=…&account=…&alias=alias/…: whether the alias is free in the account's region (ListAliases), for the create-key wizard. */
import { clientsFor } from '@/lib/aws/clients';
import { aliasProblem, listAliasNames } from '@/lib/kms/create-key';
import { errorInfo } from '@/lib/kms/inventory';
import { resolveScope } from '@/lib/kms/scope';
import { withRole } from '@/lib/auth/route-guard';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export interface AliasCheck {
  alias: string;
  available: boolean;
}

async function get(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const scope = resolveScope(params.get('region'), params.get('account'));
  const alias = params.get('alias') ?? '';
  const headers = { 'cache-control': 'no-store' };
  const problem = aliasProblem(alias);
  if (problem) return Response.json({ error: { name: 'ValidationException', message: problem } }, { status: 400, headers });
  try {
    const taken = await listAliasNames(clientsFor(scope).kms);
    return Response.json({ alias, available: !taken.has(alias) } satisfies AliasCheck, { headers });
  } catch (error) {
    return Response.json({ error: errorInfo(error) }, { status: 502, headers });
  }
}

export const GET = withRole('viewer', get);
