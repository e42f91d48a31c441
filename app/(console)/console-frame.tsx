'use client';
/** Wires the shell to the router and the query cache: the account and region in the URL, the palette's keys, ⌘K. */
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { ConsoleHeader, type AccountOption } from '@/components/shell/console-header';
import { NAV_ITEMS } from '@/components/shell/nav-items';
import { Sidebar } from '@/components/shell/sidebar';
import type { Mode } from '@/lib/config';
import type { Scope } from '@/lib/kms/inventory-types';
import { keyQueries } from '@/lib/queries/keys';

// The palette (cmdk, Radix Dialog) loads on first use, not with every page.
const loadPalette = () => import('@/components/shell/command-palette');
const CommandPalette = dynamic(() => loadPalette().then((m) => m.CommandPalette), { ssr: false });

export interface ConsoleFrameProps {
  mode: Mode;
  /** The default account; `?account=` picks another of `accounts`. */
  account: string;
  accounts?: AccountOption[];
  regions: string[];
  defaultRegion: string;
  children: React.ReactNode;
}

export function ConsoleFrame({ mode, account: defaultAccount, accounts = [], regions, defaultRegion, children }: ConsoleFrameProps) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const wanted = searchParams.get('region');
  const region = wanted && regions.includes(wanted) ? wanted : defaultRegion;
  const wantedAccount = searchParams.get('account');
  // The URL names the account only when it is not the default, so default links stay as they were.
  const account = wantedAccount && accounts.some((a) => a.name === wantedAccount) ? wantedAccount : defaultAccount;
  const accountQuery = account === defaultAccount ? '' : `&account=${encodeURIComponent(account)}`;
  const scope = { account, region };
  const [paletteOpen, setPaletteOpen] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === 'k' && (event.metaKey || event.ctrlKey) && !event.altKey) {
        event.preventDefault();
        setPaletteOpen((open) => !open);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const hrefFor = useCallback((path: string) => `${path}?region=${encodeURIComponent(region)}${accountQuery}`, [region, accountQuery]);

  const changeRegion = (next: string) => {
    // A key belongs to one region, so a detail page gives way to the other region's inventory.
    if (pathname.startsWith('/keys/')) return router.push(`/keys?region=${encodeURIComponent(next)}${accountQuery}`);
    const params = new URLSearchParams(searchParams);
    params.set('region', next);
    router.push(`${pathname}?${params}`);
  };

  const changeAccount = (next: string) => {
    const params = new URLSearchParams(pathname.startsWith('/keys/') ? { region } : searchParams);
    if (next === defaultAccount) params.delete('account');
    else params.set('account', next);
    // Keys belong to one account: a detail page gives way to the other account's inventory.
    router.push(`${pathname.startsWith('/keys/') ? '/keys' : pathname}?${params}`);
  };

  const go = (href: string) => {
    setPaletteOpen(false);
    router.push(href);
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col md:flex-row">
      <Sidebar items={NAV_ITEMS} pathname={pathname} hrefFor={hrefFor} />
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <ConsoleHeader
          mode={mode}
          account={account}
          accounts={accounts}
          onAccountChange={changeAccount}
          regions={regions}
          region={region}
          onRegionChange={changeRegion}
          onOpenPalette={() => setPaletteOpen(true)}
          onPreparePalette={() => void loadPalette()}
        />
        <main className="flex min-h-0 flex-1 flex-col overflow-auto">{children}</main>
      </div>
      {paletteOpen && <PaletteWithKeys scope={scope} onClose={() => setPaletteOpen(false)} onNavigate={go} hrefFor={hrefFor} />}
    </div>
  );
}

/**
 * Mounted only while the palette is open: an observer of the inventory query created any earlier (in
 * this layout, before the page's HydrationBoundary) would make the page hydrate its data a render late.
 */
function PaletteWithKeys({ scope, onClose, onNavigate, hrefFor }: { scope: Scope; onClose: () => void; onNavigate: (href: string) => void; hrefFor: (path: string) => string }) {
  const inventory = useQuery(keyQueries.list(scope));
  const error = inventory.error ? { name: inventory.error.name, message: inventory.error.message } : null;
  return (
    <CommandPalette
      open
      onOpenChange={(open) => !open && onClose()}
      keys={inventory.data?.keys}
      loading={inventory.isPending}
      error={error}
      region={scope.region}
      sections={NAV_ITEMS}
      onSelectKey={(keyId) => onNavigate(hrefFor(`/keys/${encodeURIComponent(keyId)}`))}
      onSelectSection={(href) => onNavigate(hrefFor(href))}
    />
  );
}
