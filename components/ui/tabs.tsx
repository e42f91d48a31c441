'use client';
/**
 * Tabs following the WAI-ARIA tabs pattern: one tab stop, arrow keys (and Home/End) move and select,
 * each panel labelled by its tab. Small on purpose: it ships on every inventory load.
 */
import { createContext, useContext, useId, useRef } from 'react';
import { cn } from './cn';
import { focusRing } from './focus-ring';

interface TabsContextValue {
  value: string;
  onValueChange: (value: string) => void;
  idFor: (value: string, part: 'tab' | 'panel') => string;
}

const TabsContext = createContext<TabsContextValue | null>(null);

function useTabs(): TabsContextValue {
  const context = useContext(TabsContext);
  if (!context) throw new Error('Tabs parts must be inside <Tabs>');
  return context;
}

export function Tabs({ value, onValueChange, className, children }: { value: string; onValueChange: (value: string) => void; className?: string; children: React.ReactNode }) {
  const base = useId();
  const idFor = (v: string, part: 'tab' | 'panel') => `${base}-${part}-${v}`;
  return (
    <TabsContext.Provider value={{ value, onValueChange, idFor }}>
      <div className={className}>{children}</div>
    </TabsContext.Provider>
  );
}

export function TabsList({ className, children, ...props }: React.ComponentProps<'div'>) {
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const tabs = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]') ?? [])];
    const current = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    tab.focus();
    tab.click();
  };
  return (
    <div ref={ref} role="tablist" onKeyDown={onKeyDown} className={cn('flex gap-1 border-b border-zinc-200 dark:border-zinc-800', className)} {...props}>
      {children}
    </div>
  );
}

export function TabsTrigger({ value, className, ...props }: Omit<React.ComponentProps<'button'>, 'value'> & { value: string }) {
  const tabs = useTabs();
  const selected = tabs.value === value;
  return (
    <button
      type="button"
      role="tab"
      id={tabs.idFor(value, 'tab')}
      aria-selected={selected}
      aria-controls={tabs.idFor(value, 'panel')}
      tabIndex={selected ? 0 : -1}
      data-state={selected ? 'active' : 'inactive'}
      onClick={() => tabs.onValueChange(value)}
      className={cn(
        '-mb-px inline-flex items-center gap-2 rounded-t-md border-b-2 border-transparent px-3 py-2 text-sm font-medium text-zinc-600 hover:text-zinc-900 data-[state=active]:border-amber-500 data-[state=active]:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:data-[state=active]:text-zinc-50',
        focusRing,
        className,
      )}
      {...props}
    />
  );
}

/**
 * The selected tab's panel; render one per tab, or one whose `value` follows the selection. `forceMount`
 * keeps an unselected panel mounted but hidden (for state that should survive a tab switch, like an editor).
 */
export function TabsContent({ value, className, forceMount = false, ...props }: Omit<React.ComponentProps<'div'>, 'value'> & { value: string; forceMount?: boolean }) {
  const tabs = useTabs();
  const selected = tabs.value === value;
  if (!selected && !forceMount) return null;
  return <div role="tabpanel" id={tabs.idFor(value, 'panel')} aria-labelledby={tabs.idFor(value, 'tab')} hidden={!selected} className={cn('outline-none', className)} {...props} />;
}
