'use client';
/**
 * Light, dark, or the system's choice (the default). The choice lives in localStorage and is applied
 * before paint by app/theme-script.ts; this button changes it and follows the system while on "system".
 */
import { Monitor, Moon, Sun } from 'lucide-react';
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { THEME_STORAGE_KEY } from '@/app/theme-script';
import { Button } from '@/components/ui/button';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const ICONS = { system: Monitor, light: Sun, dark: Moon };
const CHANGE_EVENT = 'keydeck-theme-change';

function readTheme(): Theme {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function subscribe(onChange: () => void) {
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener('storage', onChange);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener('storage', onChange);
  };
}

function apply(theme: Theme) {
  const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  const root = document.documentElement;
  if (root.classList.contains('dark') === dark) return;
  // Switch in one frame: without this, every button's colour transition would fade at its own pace.
  const freeze = document.createElement('style');
  freeze.textContent = '*,*::before,*::after{transition:none!important}';
  document.head.appendChild(freeze);
  root.classList.toggle('dark', dark);
  void window.getComputedStyle(root).color;
  requestAnimationFrame(() => freeze.remove());
}

export function ThemeToggle() {
  // The server cannot know the stored choice; it renders "system" and the browser corrects it after hydration.
  const theme = useSyncExternalStore(subscribe, readTheme, () => 'system' as const);

  useEffect(() => {
    apply(theme);
    if (theme !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => apply('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [theme]);

  const cycle = useCallback(() => {
    const next = NEXT[readTheme()];
    try {
      if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage can be off (private mode); the theme then lasts for this page only.
    }
    apply(next);
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }, []);

  const Icon = ICONS[theme];
  return (
    <Button variant="ghost" size="icon" onClick={cycle} aria-label={`Theme: ${theme}. Switch to ${NEXT[theme]}`} title={`Theme: ${theme}`}>
      <Icon aria-hidden="true" />
    </Button>
  );
}
