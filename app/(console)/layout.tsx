import { Suspense } from 'react';
import { consoleContext } from '@/lib/kms/scope';
import { ConsoleFrame } from './console-frame';

// Mode, account and regions come from the server's environment at request time.
export const dynamic = 'force-dynamic';

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const { mode, account, accounts, regions, defaultRegion } = consoleContext();
  return (
    <div className="flex h-dvh flex-col">
      {mode === 'demo' && (
        <p className="shrink-0 bg-amber-400 px-4 py-1 text-center text-xs font-medium text-amber-950">
          Demo mode: every key here lives in Keydeck&apos;s built-in KMS emulator, not in AWS.
        </p>
      )}
      {/* useSearchParams (the region) needs a Suspense boundary above it. */}
      <Suspense>
        <ConsoleFrame mode={mode} account={account} accounts={accounts.map((a) => ({ name: a.name, label: a.accountId && a.accountId !== a.name ? `${a.name} (${a.accountId})` : a.name }))} regions={regions} defaultRegion={defaultRegion}>
          {children}
        </ConsoleFrame>
      </Suspense>
    </div>
  );
}
