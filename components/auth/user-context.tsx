'use client';
/**
 * The signed-in user, read on the server by the console layout and handed to client components, so a
 * button can say why it is disabled. The server refuses anyway: this only keeps people from trying.
 */
import { createContext, useContext } from 'react';
import { roleAllows, type Role } from '@/lib/auth/roles';

export interface ConsoleUser {
  name: string;
  email: string | null;
  role: Role;
  provider: 'local' | 'oidc' | 'demo';
}

const UserContext = createContext<ConsoleUser | null>(null);

export function UserProvider({ user, children }: { user: ConsoleUser; children: React.ReactNode }) {
  return <UserContext.Provider value={user}>{children}</UserContext.Provider>;
}

export function useCurrentUser(): ConsoleUser | null {
  return useContext(UserContext);
}

export interface RoleGate {
  allowed: boolean;
  /** Why not, for a disabled button's title and description, e.g. "Needs the admin role". */
  reason: string | undefined;
}

/** Whether the signed-in user may use a control that needs `needed`. Outside a provider (unit tests, storybook-like use) everything is allowed. */
export function useRoleGate(needed: Role): RoleGate {
  const user = useContext(UserContext);
  const allowed = !user || roleAllows(user.role, needed);
  return { allowed, reason: allowed ? undefined : `Needs the ${needed} role` };
}

/**
 * An availability (see lib/kms/key-availability.ts) narrowed by the role: a key state that allows the action
 * still gives "Needs the admin role" to an operator.
 */
export function useGate(needed: Role, availability: { allowed: boolean; reason?: string } = { allowed: true }): { allowed: boolean; reason?: string } {
  const role = useRoleGate(needed);
  return role.allowed ? availability : { allowed: false, reason: role.reason };
}
