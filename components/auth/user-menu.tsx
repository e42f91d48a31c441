'use client';
/** The header's user menu: who is signed in, with which role, and the two ways to sign out. */
import { useQueryClient } from '@tanstack/react-query';
import { ChevronDown, LogOut, MonitorX } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, useTransition } from 'react';
import { signOutAction, signOutEverywhereAction } from '@/app/(console)/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { useCurrentUser } from './user-context';

export function UserMenu() {
  const user = useCurrentUser();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const toast = useToast();
  const router = useRouter();
  const queryClient = useQueryClient();
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (!user) return null;

  const run = (action: typeof signOutAction | typeof signOutEverywhereAction) =>
    startTransition(async () => {
      const result = await action({});
      if (!result.ok) return toast({ title: result.error.name, description: result.error.message, tone: 'error' });
      // The cached data of this user must not outlive the session.
      queryClient.clear();
      router.replace('/signin');
    });

  return (
    <div ref={root} className="relative">
      <Button variant="ghost" aria-expanded={open} aria-controls={open ? menuId : undefined} onClick={() => setOpen((o) => !o)} className="max-w-56">
        <span className="truncate">{user.name}</span>
        <Badge tone={user.role === 'admin' ? 'warning' : user.role === 'operator' ? 'info' : 'neutral'}>{ROLE_LABELS[user.role]}</Badge>
        <ChevronDown aria-hidden="true" />
      </Button>
      {open && (
        <div
          id={menuId}
          role="group"
          aria-label="Account"
          className="absolute right-0 z-30 mt-1 w-64 rounded-xl border border-zinc-200 bg-white p-2 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <div className="px-2 py-1.5">
            <p className="truncate font-medium">{user.name}</p>
            {user.email && <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{user.email}</p>}
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              {ROLE_LABELS[user.role]} · {user.provider === 'demo' ? 'demo persona' : user.provider === 'oidc' ? 'single sign-on' : 'local account'}
            </p>
          </div>
          <hr className="my-1 border-zinc-200 dark:border-zinc-700" />
          <Button variant="ghost" className="w-full justify-start" disabled={pending} onClick={() => run(signOutAction)}>
            <LogOut aria-hidden="true" />
            Sign out
          </Button>
          <Button variant="ghost" className="w-full justify-start" disabled={pending} onClick={() => run(signOutEverywhereAction)}>
            <MonitorX aria-hidden="true" />
            Sign out everywhere
          </Button>
        </div>
      )}
    </div>
  );
}
