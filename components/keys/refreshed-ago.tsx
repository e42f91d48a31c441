'use client';
/** "Refreshed 12 s ago", kept current; the exact time is in the <time> element for hover and assistive tech. */
import { useEffect, useState } from 'react';
import { formatAge, formatDateTime } from '@/lib/format/date';

export function RefreshedAgo({ at }: { at: number }) {
  // Null until mounted: the server's clock and the browser's differ, and the text must hydrate unchanged.
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 5_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, []);
  return (
    <span className="text-sm whitespace-nowrap text-zinc-600 dark:text-zinc-400">
      Refreshed{' '}
      <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
        {now === null ? formatDateTime(at) : formatAge(now - at)}
      </time>
    </span>
  );
}
