/** Shown while the server loads an inventory that is not cached yet (a cold start over many keys). */
export default function KeysLoading() {
  return (
    <div className="px-6 pt-5" aria-busy="true">
      <h1 className="text-xl font-semibold tracking-tight">Keys</h1>
      <p role="status" className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Loading the key inventory from KMS…
      </p>
      <div className="mt-6 space-y-2" aria-hidden="true">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="h-11 animate-pulse rounded-md bg-zinc-200/70 dark:bg-zinc-800/70" />
        ))}
      </div>
    </div>
  );
}
