/**
 * "Sign in with <provider>": a link to the OIDC flow, rendered only when KEYDECK_OIDC_ISSUER is configured.
 * A server component — the configuration never reaches the browser, only the label.
 */
import { LogIn } from 'lucide-react';
import { safeNextPath } from '@/lib/auth/next-path';
import { getOidcConfig } from '@/lib/auth/oidc-config';
import { Button } from '@/components/ui/button';

export function OidcSignInButton({ next, className }: { next?: string; className?: string }) {
  const config = getOidcConfig();
  if (!config) return null;
  const target = safeNextPath(next);
  const href = `/api/auth/oidc/start?next=${encodeURIComponent(target)}`;
  return (
    <Button asChild variant="primary" className={className ?? 'w-full'}>
      {/* A plain link, not next/link: the route answers with a redirect to another site. */}
      <a href={href}>
        <LogIn aria-hidden />
        Sign in with {config.label}
      </a>
    </Button>
  );
}
