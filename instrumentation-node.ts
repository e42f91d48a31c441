/** The Node runtime's start-up (imported by instrumentation.ts only there, so the Edge build never sees process.exit). */
export async function registerNode(): Promise<void> {
  // Each request's TCP peer address, the only one a client cannot forge (audit log, sign-in rate limit).
  (await import('@/lib/security/peer-address')).installPeerAddressCapture();
  // A wrong configuration stops the server here, with every reason, before it answers anyone.
  const { startupProblems } = await import('@/lib/startup-check');
  const problems = startupProblems(process.env);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`keydeck: cannot start: ${problem}`);
    process.exit(1);
  }
  // Every region's inventory, loaded in the background (KEYDECK_INVENTORY_WARMUP=off to skip).
  if (process.env.KEYDECK_INVENTORY_WARMUP !== 'off') {
    const { warmUpInventories } = await import('@/lib/kms/inventory-warmup');
    void warmUpInventories().then((results) => {
      for (const r of results) {
        const what = r.error ? `failed (${r.error})` : `${r.keys} keys in ${r.ms} ms`;
        console.log(`keydeck: inventory of ${r.scope.account}/${r.scope.region} warmed up: ${what}`);
      }
    });
  }
  // Demo mode: the demo applications keep calling the emulator (KEYDECK_DEMO_TRAFFIC calls a minute, 0 = off).
  // An invalid value stops start-up here (startDemoTraffic throws at once, naming the variable).
  const { demoTrafficFromEnv, startDemoTraffic } = await import('@/lib/aws/demo-traffic');
  void startDemoTraffic()
    .then((traffic) => {
      if (traffic) console.log(`keydeck: live demo traffic: about ${demoTrafficFromEnv()} calls a minute from the demo applications`);
    })
    .catch((error: unknown) => console.error('keydeck: the demo traffic did not start:', error instanceof Error ? error.message : error));
  // The usage sync from CloudTrail (KEYDECK_USAGE_SYNC=off to skip).
  const { ensureUsageSync } = await import('@/lib/usage/sync-job');
  ensureUsageSync();
}
