/** Always on screen: the mode (unmistakable in demo), the account, the region switcher, the command palette and the user menu. */
import { Search } from 'lucide-react';
import { UserMenu } from '@/components/auth/user-menu';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { Mode } from '@/lib/config';
import { ThemeToggle } from './theme-toggle';

export interface AccountOption {
  /** What `?account=` holds. */
  name: string;
  /** What the switcher shows, e.g. `partner (444455556666)`. */
  label: string;
}

export interface ConsoleHeaderProps {
  mode: Mode;
  account: string;
  /** The accounts to switch between; with one (or none), the account is shown without a switcher. */
  accounts?: AccountOption[];
  onAccountChange?: (account: string) => void;
  regions: string[];
  region: string;
  onRegionChange: (region: string) => void;
  onOpenPalette: () => void;
  /** Called when the palette is likely to be opened soon (pointer over or focus on its button). */
  onPreparePalette?: () => void;
}

export function ConsoleHeader({ mode, account, accounts = [], onAccountChange, regions, region, onRegionChange, onOpenPalette, onPreparePalette }: ConsoleHeaderProps) {
  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white px-4 dark:border-zinc-800 dark:bg-zinc-900">
      <Button
        variant="secondary"
        onClick={onOpenPalette}
        onPointerEnter={onPreparePalette}
        onFocus={onPreparePalette}
        className="w-64 max-w-full justify-start text-zinc-500 dark:text-zinc-400"
        aria-keyshortcuts="Control+K Meta+K"
      >
        <Search aria-hidden="true" />
        <span className="flex-1 text-left">Jump to a key…</span>
        <kbd className="rounded border border-zinc-300 px-1 font-sans text-[11px] text-zinc-500 dark:border-zinc-600 dark:text-zinc-400">Ctrl K</kbd>
      </Button>
      <div className="ml-auto flex items-center gap-4 text-sm">
        <div className="flex items-center gap-1.5" aria-label="Mode">
          {mode === 'demo' ? (
            <>
              <Badge tone="demo">DEMO</Badge>
              <span className="hidden text-zinc-600 lg:inline dark:text-zinc-400">Demo mode</span>
            </>
          ) : (
            <Badge tone="info">AWS</Badge>
          )}
        </div>
        {accounts.length > 1 && onAccountChange ? (
          <label className="flex items-center gap-1.5">
            <span className="text-zinc-500 dark:text-zinc-400">Account</span>
            <Select value={account} onChange={(event) => onAccountChange(event.target.value)} className="w-52 font-mono">
              {accounts.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.label}
                </option>
              ))}
            </Select>
          </label>
        ) : (
          <dl className="hidden items-center gap-1.5 sm:flex">
            <dt className="text-zinc-500 dark:text-zinc-400">Account</dt>
            <dd className="font-mono font-medium">{accounts[0]?.label ?? account}</dd>
          </dl>
        )}
        <label className="flex items-center gap-1.5">
          <span className="text-zinc-500 dark:text-zinc-400">Region</span>
          <Select value={region} onChange={(event) => onRegionChange(event.target.value)} className="w-36 font-mono">
            {regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </label>
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
