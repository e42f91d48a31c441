/** The policy editor lives in the key detail page's Key policy tab; this address stays valid and leads there. */
import { redirect } from 'next/navigation';

type Props = { params: Promise<{ keyId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function KeyPolicyPage({ params, searchParams }: Props) {
  const { keyId } = await params;
  const search = await searchParams;
  const query = new URLSearchParams();
  for (const name of ['region', 'account'] as const) {
    const value = search[name];
    if (typeof value === 'string' && value) query.set(name, value);
  }
  query.set('tab', 'policy');
  redirect(`/keys/${encodeURIComponent(decodeURIComponent(keyId))}?${query}`);
}
