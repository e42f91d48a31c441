/** The console's sections, in sidebar order. */
import { ChartColumn, FlaskConical, GraduationCap, KeyRound, ScrollText, Settings, type LucideIcon } from 'lucide-react';

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '/keys', label: 'Keys', icon: KeyRound },
  { href: '/usage', label: 'Usage & cost', icon: ChartColumn },
  { href: '/playground', label: 'Playground', icon: FlaskConical },
  { href: '/learn', label: 'Learn', icon: GraduationCap },
  { href: '/audit', label: 'Audit', icon: ScrollText },
  { href: '/settings', label: 'Settings', icon: Settings },
];
