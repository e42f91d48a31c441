/**
 * Dates as the console prints them: in UTC, so the server's HTML and the browser's hydration agree
 * and two people looking at one key see the same text.
 */

/** `2026-11-23` */
export function formatDay(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString().slice(0, 10) : '—';
}

/** `2026-11-23 14:05 UTC` */
export function formatDateTime(ms: number): string {
  return ms > 0 ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
}

/** `just now`, `42 s ago`, `3 min ago`, `2 h ago`, `5 d ago` */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
