/** The usage data source setting as the browser sees it (no SDK, no store): see lib/usage/source.ts. */
export type UsageSource = { kind: 'store' } | { kind: 'lake'; eventDataStore: string };

export const DEMO_LAKE_REASON = 'Not in demo mode: the emulator does not run CloudTrail Lake SQL.';
