/** The demo's one-click sign-ins: one persona per role, signed in through the same session machinery as everyone. */
import type { Role } from './roles';
import type { Identity } from './sessions';

export interface DemoPersona {
  role: Role;
  name: string;
  /** What the persona may do, shown on the sign-in page. */
  summary: string;
}

export const DEMO_PERSONAS: readonly DemoPersona[] = [
  { role: 'admin', name: 'Ada Admin', summary: 'Everything: create keys, edit key policies, schedule deletion, settings.' },
  { role: 'operator', name: 'Otto Operator', summary: 'Enable and disable, rotate, aliases, tags, grants and the playground.' },
  { role: 'viewer', name: 'Vera Viewer', summary: 'Read keys, policies, usage and charts; change nothing.' },
];

export function demoIdentityOf(persona: DemoPersona): Identity {
  const handle = persona.name.toLowerCase().replace(/\s+/g, '.');
  return { provider: 'demo', subject: persona.role, name: persona.name, email: `${handle}@demo.keydeck.invalid`, role: persona.role, accounts: null };
}
