import { headers } from 'next/headers';
import { clientsFor } from '@/lib/aws/clients';
import { getConfig } from '@/lib/config';
import { DEFAULT_ACCOUNT } from '@/lib/emulator';
import { countKeys } from '@/lib/kms/count-keys';

export const dynamic = 'force-dynamic';

type KeyCount = { ok: true; count: number } | { ok: false; error: { name: string; message: string } };

async function loadKeyCount(region: string): Promise<KeyCount> {
  try {
    return { ok: true, count: await countKeys(clientsFor({ region }).kms) };
  } catch (error) {
    // Missing credentials or a denied ListKeys are expected in aws mode: show them, don't crash.
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name, message } };
  }
}

export default async function HomePage() {
  const { mode, region } = getConfig();
  const demo = mode === 'demo';
  const keys = await loadKeyCount(region);
  const requestHeaders = await headers();
  const origin = `${requestHeaders.get('x-forwarded-proto') ?? 'http'}://${requestHeaders.get('host') ?? 'localhost:3000'}`;

  return (
    <div className="flex min-h-dvh flex-col">
      {demo && (
        <p className="bg-amber-400 px-4 py-1.5 text-center text-sm font-medium text-amber-950">
          Demo mode: every key here lives in Keydeck&apos;s built-in KMS emulator, not in AWS.
        </p>
      )}

      <header className="border-b border-zinc-200 bg-white/70 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/60">
        <div className="mx-auto flex h-14 max-w-5xl items-center justify-between px-6">
          <span className="flex items-center gap-2 font-semibold tracking-tight">
            <KeyIcon />
            Keydeck
          </span>
          <dl className="flex items-center gap-5 text-sm">
            <div className="flex gap-1.5">
              <dt className="text-zinc-500 dark:text-zinc-400">Mode</dt>
              <dd className="font-medium">{demo ? 'Demo' : 'AWS'}</dd>
            </div>
            {demo && (
              <div className="flex gap-1.5">
                <dt className="text-zinc-500 dark:text-zinc-400">Account</dt>
                <dd className="font-mono font-medium">{DEFAULT_ACCOUNT}</dd>
              </div>
            )}
            <div className="flex gap-1.5">
              <dt className="text-zinc-500 dark:text-zinc-400">Region</dt>
              <dd className="font-mono font-medium">{region}</dd>
            </div>
          </dl>
        </div>
      </header>

      <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-14">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Keydeck — {demo ? 'demo' : 'AWS'} mode</h1>
          {demo && (
            <span className="rounded-md bg-amber-100 px-2 py-1 text-xs font-bold tracking-widest text-amber-900 ring-1 ring-amber-300 ring-inset dark:bg-amber-400/15 dark:text-amber-300 dark:ring-amber-400/40">
              DEMO
            </span>
          )}
        </div>
        <p className="mt-3 max-w-2xl text-zinc-600 dark:text-zinc-400">
          {demo
            ? 'A self-hosted console for AWS KMS, running against its bundled emulator. Everything you do here speaks the real KMS API — safely, on this machine.'
            : 'A self-hosted console for AWS KMS, signed in with this server’s AWS credentials.'}
        </p>

        <section className="mt-10 grid gap-4 md:grid-cols-2">
          <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
            <h2 className="text-sm font-medium text-zinc-500 dark:text-zinc-400">KMS keys</h2>
            {keys.ok ? (
              <p className="mt-3 text-zinc-600 dark:text-zinc-400">
                <span className="mr-1 text-4xl font-semibold text-zinc-900 tabular-nums dark:text-zinc-50">{keys.count}</span>{' '}
                {keys.count === 1 ? 'key' : 'keys'} in {region}
              </p>
            ) : (
              <div role="alert" className="mt-3 text-sm">
                <p className="font-medium text-red-700 dark:text-red-400">Could not list keys in {region}</p>
                <p className="mt-1 text-zinc-600 dark:text-zinc-400">
                  <span className="font-mono">{keys.error.name}</span>: {keys.error.message}
                </p>
              </div>
            )}
          </div>

          {demo && (
            <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
              <h2 className="text-sm font-medium text-zinc-500 dark:text-zinc-400">Use the emulator from the AWS CLI</h2>
              <pre className="mt-3 overflow-x-auto rounded-lg bg-zinc-950 p-4 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black/60">
                <code>
                  {`export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test\naws kms create-key --region ${region} \\\n  --endpoint-url ${origin}/api/kms`}
                </code>
              </pre>
            </div>
          )}
        </section>
      </main>

      <footer className="border-t border-zinc-200 py-6 text-center text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-500">
        Keydeck · a self-hosted console for AWS KMS
      </footer>
    </div>
  );
}

function KeyIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 text-amber-500" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <circle cx="7.5" cy="15.5" r="5.5" />
      <path d="m21 2-9.6 9.6M15.5 7.5l3 3L22 7l-3-3" />
    </svg>
  );
}
