'use client';
/** The two views of Usage & cost — the charts and the unused-keys clean-up list — as links that keep the region and account. */
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { cn } from '@/components/ui/cn';
import { focusRing } from '@/components/ui/focus-ring';

const VIEWS = [
  ['/usage', 'Charts'],
  ['/usage/unused', 'Unused keys'],
] as const;

export function UsageViews() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const scope = new URLSearchParams();
  for (const name of ['region', 'account']) {
    const value = searchParams.get(name);
    if (value) scope.set(name, value);
  }
  return (
    <nav aria-label="Usage views" className="px-6 pb-3">
      <ul className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {VIEWS.map(([href, label]) => {
          const current = pathname === href;
          return (
            <li key={href}>
              <Link
                href={`${href}?${scope}`}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  '-mb-px inline-block border-b-2 px-3 py-1.5 text-sm font-medium',
                  current ? 'border-zinc-900 text-zinc-900 dark:border-zinc-100 dark:text-zinc-50' : 'border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100',
                  focusRing,
                )}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
