/**
 * The console's roles, from least to most powerful. Each role may do everything the roles below it may:
 * - viewer: read keys, policies, usage and charts;
 * - operator: enable/disable, rotate, aliases, tags, grants, the playground;
 * - admin: create keys, edit key policies, schedule deletion, settings.
 * Every server action and route handler names the least role it needs; the check runs on the server.
 * Client components import this file: it stays free of dependencies (zod alone is ~28 KB gzip in a browser).
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` may do what `needed` may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export const ROLE_LABELS: Record<Role, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Admin' };
