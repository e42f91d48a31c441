'use client';
/** A link styled as a button that a role may not use: then a disabled button that says which role it needs. */
import Link from 'next/link';
import { useId } from 'react';
import { Button, type ButtonProps } from '@/components/ui/button';
import type { Role } from '@/lib/auth/roles';
import { useRoleGate } from './user-context';

export function GatedLinkButton({ needed, href, children, variant }: { needed: Role; href: string; children: React.ReactNode; variant?: ButtonProps['variant'] }) {
  const gate = useRoleGate(needed);
  const id = useId();
  if (gate.allowed)
    return (
      <Button asChild variant={variant}>
        <Link href={href}>{children}</Link>
      </Button>
    );
  return (
    <span title={gate.reason} className="inline-flex">
      <Button variant={variant} disabled aria-describedby={id}>
        {children}
      </Button>
      <span id={id} className="sr-only">
        {gate.reason}
      </span>
    </span>
  );
}
