/** Runs once when a server process starts (Node runtime only): background work that makes the first page views fast. */
export async function register(): Promise<void> {
  // Next compiles this file for the Edge runtime too; the Node-only start-up lives in its own module.
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./instrumentation-node')).registerNode();
}
