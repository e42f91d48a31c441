import type { Metadata } from 'next';
import { ComingSoon } from '@/components/shell/coming-soon';
import { consoleContext } from '@/lib/kms/scope';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  const { mode, account, regions, defaultRegion } = consoleContext();
  return (
    <ComingSoon
      title="Settings"
      summary="How this console reaches KMS."
      plans={[
        'The resolved identity per account (STS GetCallerIdentity) and which regions answer.',
        'Several accounts, each reached through a role to assume.',
        'Sign-in and roles for the people who use the console.',
      ]}
    >
      <section aria-labelledby="current" className="mx-6 mb-6 max-w-3xl rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id="current" className="text-sm font-semibold">
          Current configuration
        </h2>
        <dl className="mt-3 grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
          <dt className="text-zinc-500 dark:text-zinc-400">Mode</dt>
          <dd>{mode === 'demo' ? 'Demo — the built-in KMS emulator' : 'AWS — the server’s AWS credentials'}</dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Account</dt>
          <dd className="font-mono">{account}</dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Regions</dt>
          <dd className="font-mono">{regions.join(', ')}</dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Opens in</dt>
          <dd className="font-mono">{defaultRegion}</dd>
        </dl>
      </section>
    </ComingSoon>
  );
}
