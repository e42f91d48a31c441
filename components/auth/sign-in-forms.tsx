'use client';
/** The sign-in page's forms: one-click demo personas (demo mode), then a local account's user name and password. */
import { LogIn } from 'lucide-react';
import { useActionState, type ReactNode } from 'react';
import { signInDemoAction, signInLocalAction, type SignInState } from '@/app/signin/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { DemoPersona } from '@/lib/auth/demo-personas';
import { ROLE_LABELS } from '@/lib/auth/roles';

const initial: SignInState = { error: null, userName: '' };
const card = 'rounded-xl border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900';

/** `sso` is the single sign-on button (OpenID Connect), rendered on the server; null when none is configured. */
export function SignInForms({ next, personas, sso }: { next: string; personas: readonly DemoPersona[]; sso: ReactNode }) {
  const [demoState, demoAction, demoPending] = useActionState(signInDemoAction, initial);
  const [localState, localAction, localPending] = useActionState(signInLocalAction, initial);
  return (
    <div className="flex flex-col gap-4">
      {personas.length > 0 && (
        <section aria-labelledby="demo-personas" className={card}>
          <h2 id="demo-personas" className="text-sm font-semibold">
            Demo personas
          </h2>
          <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">One click, a real session with that role.</p>
          <ul className="mt-3 flex flex-col gap-2">
            {personas.map((persona) => (
              <li key={persona.role}>
                <form action={demoAction} className="flex items-center gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
                  <input type="hidden" name="role" value={persona.role} />
                  <input type="hidden" name="next" value={next} />
                  <div className="min-w-0 flex-1">
                    <p className="flex items-center gap-2 text-sm font-medium">
                      {persona.name} <Badge tone={persona.role === 'admin' ? 'warning' : persona.role === 'operator' ? 'info' : 'neutral'}>{ROLE_LABELS[persona.role]}</Badge>
                    </p>
                    <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{persona.summary}</p>
                  </div>
                  <Button type="submit" variant="secondary" size="sm" disabled={demoPending} aria-label={`Sign in as ${persona.name}`}>
                    <LogIn aria-hidden="true" />
                    Sign in
                  </Button>
                </form>
              </li>
            ))}
          </ul>
          {demoState.error && (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
              {demoState.error}
            </p>
          )}
        </section>
      )}

      {sso && (
        <section aria-labelledby="single-sign-on" className={card}>
          <h2 id="single-sign-on" className="mb-3 text-sm font-semibold">
            Single sign-on
          </h2>
          {sso}
        </section>
      )}

      <section aria-labelledby="local-account" className={card}>
        <h2 id="local-account" className="text-sm font-semibold">
          Local account
        </h2>
        <form action={localAction} className="mt-3 flex flex-col gap-3" noValidate>
          <input type="hidden" name="next" value={next} />
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">User name</span>
            <Input name="userName" autoComplete="username" required maxLength={64} defaultValue={localState.userName} key={`u-${localState.userName}`} autoCapitalize="none" spellCheck={false} />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">Password</span>
            <Input name="password" type="password" autoComplete="current-password" required maxLength={1024} aria-describedby={localState.error ? 'local-error' : undefined} />
          </label>
          {localState.error && (
            <p id="local-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
              {localState.error}
            </p>
          )}
          <Button type="submit" variant="primary" disabled={localPending}>
            {localPending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
      </section>
    </div>
  );
}
