'use client';
/** Settings: the mode, the configured regions, and per account who its credentials resolve to and which regions' KMS answers. */
import { useQuery } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { RefreshedAgo } from '@/components/keys/refreshed-ago';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import type { AccountStatus, SettingsStatus } from '@/lib/aws/settings-types';
import { settingsQueries } from '@/lib/queries/settings';

const card = 'mx-6 mb-4 max-w-4xl rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900';
const term = 'text-zinc-500 dark:text-zinc-400';

export function SettingsView() {
  const status = useQuery(settingsQueries.status());
  const data = status.data;
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this console reaches KMS, checked live."
        actions={
          <>
            {data && <RefreshedAgo at={data.checkedAt} />}
            <Button onClick={() => void status.refetch()} disabled={status.isFetching}>
              <RefreshCw aria-hidden="true" className={status.isFetching ? 'animate-spin' : undefined} />
              {status.isFetching ? 'Checking…' : 'Check again'}
            </Button>
          </>
        }
      />
      {status.error && (
        <p role="alert" className={`${card} border-red-300 text-sm text-red-800 dark:border-red-400/40 dark:text-red-300`}>
          <span className="font-semibold">{status.error.name}:</span> {status.error.message}
        </p>
      )}
      {data && (
        <>
          <Configuration status={data} />
          {data.accounts.map((account) => (
            <AccountCard key={account.name} account={account} demo={data.mode === 'demo'} />
          ))}
        </>
      )}
    </>
  );
}

function Configuration({ status }: { status: SettingsStatus }) {
  return (
    <section aria-labelledby="configuration" className={card}>
      <h2 id="configuration" className="text-sm font-semibold">
        Configuration
      </h2>
      <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className={term}>Mode</dt>
        <dd>
          {status.mode === 'demo' ? (
            <>
              <Badge tone="demo">DEMO</Badge> <span className="ml-1">the built-in KMS emulator, no AWS account involved</span>
            </>
          ) : (
            <>
              <Badge tone="info">AWS</Badge> <span className="ml-1">the server&apos;s AWS credentials (standard credential chain)</span>
            </>
          )}
        </dd>
        <dt className={term}>Regions</dt>
        <dd className="font-mono">{status.regions.join(', ')}</dd>
        <dt className={term}>Opens in</dt>
        <dd className="font-mono">{status.defaultRegion}</dd>
        {status.endpointUrl && (
          <>
            <dt className={term}>Endpoint</dt>
            <dd>
              <span className="font-mono">{status.endpointUrl}</span> <span className={term}>(AWS_ENDPOINT_URL: every AWS call goes here)</span>
            </dd>
          </>
        )}
        {status.dataDir && (
          <>
            <dt className={term}>Data dir</dt>
            <dd className="font-mono break-all">{status.dataDir}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function AccountCard({ account, demo }: { account: AccountStatus; demo: boolean }) {
  const headingId = `account-${account.name}`;
  const mismatch = account.identity && account.accountId && account.identity.account !== account.accountId;
  return (
    <section aria-labelledby={headingId} className={card}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={headingId} className="text-sm font-semibold">
          Account {demo ? <span className="font-mono">{account.name}</span> : account.name}
        </h2>
        {!demo && account.accountId && <span className="font-mono text-sm text-zinc-600 dark:text-zinc-400">{account.accountId}</span>}
        {account.identity ? <Badge tone="success">Identity resolved</Badge> : <Badge tone="danger">No identity</Badge>}
      </div>
      <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className={term}>Reached by</dt>
        <dd>{account.roleArn ? <>assuming <span className="font-mono break-all">{account.roleArn}</span> (session keydeck)</> : demo ? 'the emulator’s test/test keys' : 'the base credentials'}</dd>
        {account.identity && (
          <>
            <dt className={term}>Caller account</dt>
            <dd className="font-mono">
              {account.identity.account}
              {mismatch && (
                <Badge tone="warning" className="ml-2 font-sans">
                  not the configured {account.accountId}
                </Badge>
              )}
            </dd>
            <dt className={term}>Caller ARN</dt>
            <dd className="font-mono break-all">{account.identity.arn}</dd>
            <dt className={term}>User id</dt>
            <dd className="font-mono break-all">{account.identity.userId}</dd>
          </>
        )}
      </dl>
      {account.identityError && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-400/10 dark:text-red-300">
          STS GetCallerIdentity failed: <span className="font-semibold">{account.identityError.name}</span>: {account.identityError.message}
        </p>
      )}
      <Table className="mt-4">
        <caption className="sr-only">KMS per region for account {account.name}</caption>
        <TableHead>
          <tr>
            <TableHeaderCell scope="col">Region</TableHeaderCell>
            <TableHeaderCell scope="col">KMS</TableHeaderCell>
            <TableHeaderCell scope="col">Latency</TableHeaderCell>
            <TableHeaderCell scope="col">Details</TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {account.regions.map((r) => (
            <TableRow key={r.region}>
              <TableCell className="py-2 font-mono whitespace-nowrap">{r.region}</TableCell>
              <TableCell className="py-2 whitespace-nowrap">{r.ok ? <Badge tone="success">Answers</Badge> : <Badge tone="danger">Fails</Badge>}</TableCell>
              <TableCell className="py-2 whitespace-nowrap tabular-nums">{r.ms} ms</TableCell>
              <TableCell className="py-2 text-zinc-600 dark:text-zinc-400">
                {r.error ? (
                  <>
                    <span className="font-semibold">{r.error.name}</span>: {r.error.message}
                  </>
                ) : (
                  'ListKeys (Limit 1) answered'
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
