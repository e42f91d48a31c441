/** Runs once when a server process starts: the usage sync begins in the background (Node runtime only). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.KEYDECK_USAGE_SYNC === 'off') return;
  const { ensureUsageSync } = await import('@/lib/usage/sync-job');
  ensureUsageSync();
}
