import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { UserProvider } from '@/components/auth/user-context';
import { signInPathFor } from '@/lib/auth/next-path';
import { PATH_HEADER } from '@/lib/auth/proxy-check';
import { currentUser } from '@/lib/auth/session';
import { consoleContext } from '@/lib/kms/scope';
import { ConsoleFrame } from './console-frame';

// Mode, account and regions come from the server's environment at request time.
export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // The real check (proxy.ts only looks for a cookie): a missing, expired or revoked session signs in again.
  const user = await currentUser();
  if (!user) redirect(signInPathFor((await headers()).get(PATH_HEADER) ?? '/keys'));
  const { mode, account, accounts, regions, defaultRegion } = consoleContext();
  return (
    <div className="flex h-dvh flex-col">
      {mode === 'demo' && (
        <p className="shrink-0 bg-amber-400 px-4 py-1 text-center text-xs font-medium text-amber-950">
          Demo mode: every key here lives in Keydeck&apos;s built-in KMS emulator, not in AWS.
        </p>
      )}
      {/* useSearchParams (the region) needs a Suspense boundary above it. */}
      <UserProvider user={{ name: user.name, email: user.email, role: user.role, provider: user.provider }}>
        <Suspense>
          <ConsoleFrame mode={mode} account={account} accounts={accounts.map((a) => ({ name: a.name, label: a.accountId && a.accountId !== a.name ? `${a.name} (${a.accountId})` : a.name }))} regions={regions} defaultRegion={defaultRegion}>
            {children}
          </ConsoleFrame>
        </Suspense>
      </UserProvider>
    </div>
  );
}
