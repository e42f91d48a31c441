'use client';
/** Unexpected failures in a console page; expected KMS errors are shown inline by the pages themselves. */
import { Button } from '@/components/ui/button';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="m-6 max-w-2xl rounded-lg border border-red-300 bg-red-50 p-4 text-sm dark:border-red-500/40 dark:bg-red-500/10">
      <p className="font-medium text-red-800 dark:text-red-300">Something went wrong</p>
      <p className="mt-1 text-zinc-700 dark:text-zinc-300">
        <span className="font-mono font-semibold">{error.name}</span>: {error.message}
        {error.digest && <span className="ml-1 text-zinc-500">(digest {error.digest})</span>}
      </p>
      <Button className="mt-3" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
