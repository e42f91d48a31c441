'use client';
/** ⌘K / Ctrl-K: jump to a key by alias or id, or to a section. Filtering is ours (cmdk's would render every key). */
import { Command } from 'cmdk';
import { CornerDownLeft, KeyRound } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Dialog, DialogContent } from '@/components/ui/dialog';
import type { KeyRow, KmsErrorInfo } from '@/lib/kms/inventory-types';
import { rankKeys } from '@/lib/kms/key-search';
import type { NavItem } from './nav-items';

export interface CommandPaletteProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  keys: readonly KeyRow[] | undefined;
  loading: boolean;
  error: KmsErrorInfo | null;
  region: string;
  sections: NavItem[];
  onSelectKey: (keyId: string) => void;
  onSelectSection: (href: string) => void;
}

const itemClass =
  'flex cursor-pointer items-center gap-2.5 rounded-md px-2.5 py-2 text-sm data-[selected=true]:bg-zinc-100 dark:data-[selected=true]:bg-zinc-800';

export function CommandPalette({ open, onOpenChange, keys, loading, error, region, sections, onSelectKey, onSelectSection }: CommandPaletteProps) {
  const [query, setQuery] = useState('');
  const matches = useMemo(() => rankKeys(keys ?? [], query), [keys, query]);
  const q = query.trim().toLowerCase();
  const sectionMatches = sections.filter((s) => !q || s.label.toLowerCase().includes(q));

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setQuery('');
        onOpenChange(next);
      }}
    >
      <DialogContent title="Command palette" hideTitle className="p-0">
        {/* cmdk labels its input with `label` (aria-labelledby), which would override an aria-label. */}
        <Command shouldFilter={false} label="Search keys and sections" className="flex flex-col">
          <Command.Input
            value={query}
            onValueChange={setQuery}
            placeholder={`Jump to a key in ${region} by alias or ID…`}
            className="h-12 w-full rounded-t-xl border-b border-zinc-200 bg-transparent px-4 pr-10 text-sm outline-none placeholder:text-zinc-500 dark:border-zinc-800 dark:placeholder:text-zinc-400"
          />
          <Command.List className="max-h-[min(24rem,60vh)] overflow-y-auto p-2">
            {loading && <Command.Loading>Loading keys…</Command.Loading>}
            {error && (
              <p role="alert" className="px-2.5 py-2 text-sm text-red-700 dark:text-red-400">
                <span className="font-mono">{error.name}</span>: {error.message}
              </p>
            )}
            <Command.Empty className="px-2.5 py-6 text-center text-sm text-zinc-500">No key or section matches “{query}”.</Command.Empty>
            {matches.length > 0 && (
              <Command.Group heading="Keys" className="text-xs text-zinc-500 [&_[cmdk-group-heading]]:px-2.5 [&_[cmdk-group-heading]]:py-1.5">
                {matches.map((key) => (
                  <Command.Item key={key.id} value={`key:${key.id}`} onSelect={() => onSelectKey(key.id)} className={itemClass}>
                    <KeyRound aria-hidden="true" className="size-4 shrink-0 text-zinc-400" />
                    <span className="min-w-0 flex-1 truncate text-zinc-900 dark:text-zinc-100">
                      {key.aliases[0] ?? <span className="text-zinc-500 dark:text-zinc-400">(no alias)</span>}
                    </span>
                    <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{key.id}</span>
                  </Command.Item>
                ))}
              </Command.Group>
            )}
            {sectionMatches.length > 0 && (
              <Command.Group heading="Go to" className="text-xs text-zinc-500 [&_[cmdk-group-heading]]:px-2.5 [&_[cmdk-group-heading]]:py-1.5">
                {sectionMatches.map((section) => {
                  const Icon = section.icon;
                  return (
                    <Command.Item key={section.href} value={`section:${section.href}`} onSelect={() => onSelectSection(section.href)} className={itemClass}>
                      <Icon aria-hidden="true" className="size-4 shrink-0 text-zinc-400" />
                      <span className="flex-1 text-zinc-900 dark:text-zinc-100">{section.label}</span>
                    </Command.Item>
                  );
                })}
              </Command.Group>
            )}
          </Command.List>
          <p className="flex items-center gap-1.5 border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <CornerDownLeft aria-hidden="true" className="size-3.5" /> to open · arrows to move · Esc to close
          </p>
        </Command>
      </DialogContent>
    </Dialog>
  );
}
