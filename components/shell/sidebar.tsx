/** The section list; the current section is marked for screen readers with aria-current. */
import Link from 'next/link';
import { KeyRound } from 'lucide-react';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';
import type { NavItem } from './nav-items';

export function Sidebar({ items, pathname, hrefFor }: { items: NavItem[]; pathname: string; hrefFor: (path: string) => string }) {
  return (
    <aside className="flex shrink-0 flex-col border-zinc-200 bg-white md:w-56 md:border-r dark:border-zinc-800 dark:bg-zinc-900">
      <Link href={hrefFor('/keys')} className={cn('flex h-14 items-center gap-2 px-4 font-semibold tracking-tight', focusRing)}>
        <KeyRound aria-hidden="true" className="size-5 text-amber-500" />
        Keydeck
      </Link>
      <nav aria-label="Sections" className="px-2 pb-2 md:pt-2">
        <ul className="flex gap-1 overflow-x-auto md:flex-col">
          {items.map((item) => {
            const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
            const Icon = item.icon;
            return (
              <li key={item.href}>
                <Link
                  href={hrefFor(item.href)}
                  aria-current={current ? 'page' : undefined}
                  className={cn(
                    'flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium whitespace-nowrap text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100',
                    current && 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50',
                    focusRing,
                  )}
                >
                  <Icon aria-hidden="true" className={cn('size-4', current ? 'text-amber-600 dark:text-amber-400' : 'text-zinc-400 dark:text-zinc-500')} />
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </aside>
  );
}
