'use server';
/**
 * Sign-in: the demo personas (demo mode only) and local accounts. These are the only server actions that
 * run without a session, so they do not go through defineAction's role check.
 */
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { recordSignIn } from '@/lib/audit/record';
import { authenticateLocal, MAX_PASSWORD_LENGTH } from '@/lib/auth/local-accounts';
import { DEMO_PERSONAS, demoIdentityOf } from '@/lib/auth/demo-personas';
import { safeNextPath } from '@/lib/auth/next-path';
import { ROLES } from '@/lib/auth/roles';
import { clientInfo, signIn, startSession } from '@/lib/auth/session';
import { RATE_LIMITS, rateLimit } from '@/lib/security/rate-limit';
import { getConfig } from '@/lib/config';
import { sharedStore } from '@/lib/store/shared';

export interface SignInState {
  /** The inline message under the form; never says whether the user exists. */
  error: string | null;
  userName: string;
}

const demoForm = z.object({ role: z.enum(ROLES), next: z.string().max(2048).optional() });

export async function signInDemoAction(_state: SignInState, form: FormData): Promise<SignInState> {
  if (getConfig().mode !== 'demo') return { error: 'Demo sign-in is available only in demo mode.', userName: '' };
  const parsed = demoForm.safeParse({ role: form.get('role'), next: form.get('next') ?? undefined });
  const persona = parsed.success ? DEMO_PERSONAS.find((p) => p.role === parsed.data.role) : undefined;
  if (!parsed.success || !persona) return { error: 'Pick one of the demo personas.', userName: '' };
  await recordSignIn({ ok: true, user: await signIn(demoIdentityOf(persona)) });
  redirect(safeNextPath(parsed.data.next));
}

const localForm = z.object({
  userName: z.string().trim().min(1, 'Enter your user name.').max(64, 'Wrong user name or password.'),
  password: z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH, 'Wrong user name or password.'),
  next: z.string().max(2048).optional(),
});

const timeOf = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().slice(11, 16);

export async function signInLocalAction(_state: SignInState, form: FormData): Promise<SignInState> {
  const userName = String(form.get('userName') ?? '').slice(0, 64);
  const parsed = localForm.safeParse({ userName: form.get('userName'), password: form.get('password'), next: form.get('next') ?? undefined });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Wrong user name or password.', userName };
  // Many guesses from one address, across accounts, slow down before any hash is computed.
  const verdict = rateLimit(`signin:${(await clientInfo()).ip || 'unknown'}`, RATE_LIMITS.signIn);
  if (!verdict.ok) {
    await recordSignIn({ ok: false, provider: 'local', tried: parsed.data.userName, errorName: 'ThrottlingException', errorMessage: 'Too many sign-in attempts from this address.' });
    return { error: `Too many sign-in attempts from this address. Try again in ${verdict.retryAfterSeconds} s.`, userName };
  }
  const store = await sharedStore();
  const result = await authenticateLocal(store.db, parsed.data.userName, parsed.data.password, Math.floor(Date.now() / 1000));
  if (!result.ok) {
    await recordSignIn({
      ok: false,
      provider: 'local',
      tried: parsed.data.userName,
      errorName: result.reason === 'locked' ? 'AccountLocked' : 'InvalidCredentials',
      errorMessage: result.reason === 'locked' ? `Locked until ${new Date(result.until * 1000).toISOString()}.` : 'Wrong user name or password.',
    });
    if (result.reason === 'locked') {
      return { error: `Too many failed sign-ins: this account is locked until ${timeOf(result.until)} UTC. Try again then, or ask an admin to unlock it.`, userName };
    }
    return { error: 'Wrong user name or password.', userName };
  }
  await startSession(result.user);
  await recordSignIn({ ok: true, user: result.user });
  redirect(safeNextPath(parsed.data.next));
}
