'use client';
/** The banner that says whether the audit log's hash chain is intact, with a button to walk it all again. */
import { ShieldAlert, ShieldCheck } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { ChainStatus } from '@/lib/audit/verdict';

const count = new Intl.NumberFormat('en-US');
const when = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export interface ChainVerdictProps {
  status: ChainStatus | undefined;
  error?: string;
  verifying: boolean;
  onVerifyAll: () => void;
}

export function ChainVerdictBanner({ status, error, verifying, onVerifyAll }: ChainVerdictProps) {
  const verdict = status?.verdict;
  const broken = verdict && !verdict.ok;
  return (
    <section
      aria-label="Chain verdict"
      className={cn(
        'flex flex-wrap items-center gap-3 rounded-xl border px-4 py-3',
        broken
          ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-400/40 dark:bg-red-400/10 dark:text-red-200'
          : 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-400/30 dark:bg-emerald-400/10 dark:text-emerald-200',
        !verdict && 'border-zinc-200 bg-white text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300',
      )}
    >
      {broken ? <ShieldAlert aria-hidden="true" className="size-5 shrink-0" /> : <ShieldCheck aria-hidden="true" className="size-5 shrink-0" />}
      <div className="min-w-0 flex-1" role={broken ? 'alert' : 'status'}>
        {!verdict ? (
          <p className="text-sm">{error ? `The chain could not be verified: ${error}` : 'Verifying the hash chain…'}</p>
        ) : verdict.ok ? (
          <>
            <p className="text-sm font-semibold">Verified: {count.format(verdict.entries)} {verdict.entries === 1 ? 'entry' : 'entries'}, chain intact</p>
            <p className="text-xs opacity-80">
              {status.mode === 'full' ? 'Every entry was re-hashed on this load.' : 'Entries since the last complete walk were checked on this load.'}
              {status.fullAt !== null && ` Last complete walk: ${when(status.fullAt)} UTC.`}
            </p>
          </>
        ) : (
          <>
            <p className="text-sm font-semibold">
              Broken at entry #{count.format(verdict.brokenAt)}: {verdict.message}
            </p>
            <p className="text-xs opacity-80">The log was changed outside Keydeck. Entries from #{count.format(verdict.brokenAt)} on cannot be trusted.</p>
          </>
        )}
      </div>
      <Button size="sm" onClick={onVerifyAll} disabled={verifying}>
        {verifying ? 'Verifying…' : 'Verify all now'}
      </Button>
    </section>
  );
}
