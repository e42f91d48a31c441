'use server';
/** Sign-out from the header's user menu: this browser, or every browser of the user. */
import { defineAction } from '@/lib/actions/define-action';
import { signOut, signOutEverywhere } from '@/lib/auth/session';
import { z } from 'zod';

export const signOutAction = defineAction({ name: 'SignOut', role: 'viewer', accountScoped: false, input: z.object({}), run: async () => (await signOut(), null) });

export const signOutEverywhereAction = defineAction({ name: 'SignOutEverywhere', role: 'viewer', accountScoped: false, input: z.object({}), run: async () => ({ ended: await signOutEverywhere() }) });
