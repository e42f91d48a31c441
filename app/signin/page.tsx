import { KeyRound } from 'lucide-react';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { OidcSignInButton } from '@/components/auth/oidc-sign-in-button';
import { SignInForms } from '@/components/auth/sign-in-forms';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { DEMO_PERSONAS } from '@/lib/auth/demo-personas';
import { safeNextPath } from '@/lib/auth/next-path';
import { getOidcConfig, OIDC_ERROR_MESSAGES, type OidcErrorCode } from '@/lib/auth/oidc-config';
import { currentUser } from '@/lib/auth/session';
import { getConfig } from '@/lib/config';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next: nextParam, error: errorParam } = await searchParams;
  const next = safeNextPath(Array.isArray(nextParam) ? nextParam[0] : nextParam);
  const errorCode = Array.isArray(errorParam) ? errorParam[0] : errorParam;
  const ssoError = errorCode && Object.hasOwn(OIDC_ERROR_MESSAGES, errorCode) ? OIDC_ERROR_MESSAGES[errorCode as OidcErrorCode] : null;
  if (await currentUser()) redirect(next);
  const demo = getConfig().mode === 'demo';
  return (
    <div className="flex min-h-dvh flex-col">
      {demo && (
        <p className="shrink-0 bg-amber-400 px-4 py-1 text-center text-xs font-medium text-amber-950">
          Demo mode: every key here lives in Keydeck&apos;s built-in KMS emulator, not in AWS.
        </p>
      )}
      <div className="flex justify-end p-3">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-4 pb-16 sm:pt-10">
        <div className="w-full max-w-md">
          <div className="mb-6 flex items-center gap-2.5">
            <span className="grid size-9 place-items-center rounded-lg bg-zinc-900 text-amber-400 dark:bg-zinc-100 dark:text-amber-600">
              <KeyRound aria-hidden="true" className="size-5" />
            </span>
            <div>
              <h1 className="text-xl font-semibold tracking-tight">Sign in to Keydeck</h1>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">{demo ? 'Pick a persona to explore the demo, or use a local account.' : 'The console for your AWS KMS keys.'}</p>
            </div>
          </div>
          {ssoError && (
            <p role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-300">
              {ssoError}
            </p>
          )}
          <SignInForms next={next} personas={demo ? DEMO_PERSONAS : []} sso={getOidcConfig() ? <OidcSignInButton next={next} /> : null} />
        </div>
      </main>
    </div>
  );
}
