import type { Metadata } from 'next';
import { PageHeader } from '@/components/shell/page-header';
import { CreateKeyWizard } from '@/components/keys/wizard/create-key-wizard';
import { consoleAccountId } from '@/lib/kms/principals';
import { resolveScope } from '@/lib/kms/scope';
import { createKeyAction } from './actions';

export const metadata: Metadata = { title: 'Create key' };

export default async function NewKeyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = await searchParams;
  const scope = resolveScope(search.region, search.account);
  // The policy preview names the account root; Create looks the account up again if this fails.
  const account = await consoleAccountId(scope).catch(() => null);
  return (
    <>
      <PageHeader
        title="Create key"
        description={
          <>
            A customer managed key in <span className="font-mono">{scope.region}</span>
            {account && (
              <>
                {' '}
                of account <span className="font-mono">{account}</span>
              </>
            )}
          </>
        }
      />
      <CreateKeyWizard scope={scope} account={account} createKey={createKeyAction} />
    </>
  );
}
