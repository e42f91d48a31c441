import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { UserProvider } from '@/components/auth/user-context';
import { accountAllowed, homeAccount, scopedPagePath } from '@/lib/auth/account-scope';
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
  const path = (await headers()).get(PATH_HEADER) ?? '/keys';
  if (!user) redirect(signInPathFor(path));
  const context = consoleContext();
  const { mode, regions, defaultRegion } = context;
  // Per-account scoping: only the user's accounts are offered, and a page for another account goes to theirs.
  const accounts = context.accounts.filter((a) => accountAllowed(user, a.name));
  const account = homeAccount(user, context.account, context.accounts.map((a) => a.name));
  const elsewhere = scopedPagePath(user, path, context.account, context.accounts.map((a) => a.name));
  if (elsewhere) redirect(elsewhere);
  if (!account) {
    return (
      <main className="p-8 text-sm">
        <h1 className="text-lg font-semibold">No account to show</h1>
        <p className="mt-2 text-zinc-600 dark:text-zinc-400">
          {user.name} may work only in {user.accounts?.join(', ') || 'no account'}, and this console has none of them. Ask an administrator.
        </p>
      </main>
    );
  }
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
