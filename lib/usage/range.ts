/**
 * The usage page's time ranges: the fixed ones (24 h … 90 d) and a custom one picked as two UTC dates,
 * checked the same way in the browser (inline messages) and on the server (ValidationException). Pure.
 */
export const FIXED_RANGES = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 } as const;
export type FixedRange = keyof typeof FIXED_RANGES;
export type RangeChoice = FixedRange | 'custom';

const DAY_S = 86_400;
const HOUR_S = 3_600;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A bad custom range, named like AWS names bad input; routes answer it with HTTP 400. */
export class UsageRangeError extends Error {
  override readonly name = 'ValidationException';
  constructor(
    readonly field: 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

export type RangeCheck = { ok: true; from: number; to: number } | { ok: false; field: 'from' | 'to'; message: string };

/** Epoch seconds of a `YYYY-MM-DD` date at 00:00 UTC, or undefined when it is not a real date. */
export function parseDate(text: string | undefined): number | undefined {
  const m = DATE.exec(text ?? '');
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-31 over into March: a date that does not round-trip does not exist.
  return new Date(ms).toISOString().slice(0, 10) === text ? ms / 1000 : undefined;
}

export const dateOf = (epochS: number) => new Date(epochS * 1000).toISOString().slice(0, 10);

/**
 * A custom range from `from` to `to`, both UTC dates and both included: [from 00:00, to 24:00), cut at
 * the next whole hour of now. `from` may be at most `windowDays` back (the store keeps raw events that
 * long: 90 days, or the retention setting), `to` at most today, and `from` not after `to`.
 */
export function checkCustomRange(from: string | undefined, to: string | undefined, nowS: number, windowDays: number): RangeCheck {
  const start = parseDate(from);
  if (start === undefined) return { ok: false, field: 'from', message: from ? `‘From’ must be a date as YYYY-MM-DD, not ‘${from.slice(0, 32)}’.` : '‘From’ is required for a custom range.' };
  const last = parseDate(to);
  if (last === undefined) return { ok: false, field: 'to', message: to ? `‘To’ must be a date as YYYY-MM-DD, not ‘${to.slice(0, 32)}’.` : '‘To’ is required for a custom range.' };
  const today = Math.floor(nowS / DAY_S) * DAY_S;
  if (last > today) return { ok: false, field: 'to', message: `‘To’ cannot be after today (${dateOf(today)}, UTC).` };
  if (start > last) return { ok: false, field: 'to', message: '‘To’ must be on or after ‘From’.' };
  const earliest = today - windowDays * DAY_S;
  if (start < earliest) {
    return { ok: false, field: 'from', message: `‘From’ must be within the store’s ${windowDays}-day window: ${dateOf(earliest)} or later.` };
  }
  const end = Math.min(last + DAY_S, Math.floor(nowS / HOUR_S) * HOUR_S + HOUR_S);
  return { ok: true, from: start, to: end };
}

/** The range [from, to) in epoch seconds for a choice; a bad custom range throws UsageRangeError. */
export function resolveRange(q: { range: RangeChoice; from?: string; to?: string }, nowS: number, windowDays: number): { from: number; to: number } {
  if (q.range === 'custom') {
    const check = checkCustomRange(q.from, q.to, nowS, windowDays);
    if (!check.ok) throw new UsageRangeError(check.field, check.message);
    return { from: check.from, to: check.to };
  }
  // Fixed ranges end at the next whole hour, so the newest hour bucket is complete on the axis.
  const to = Math.floor(nowS / HOUR_S) * HOUR_S + HOUR_S;
  return { from: to - FIXED_RANGES[q.range] * DAY_S, to };
}

/** How the page names a range: "24 h", or "2026-11-01 – 2026-11-15". */
export function rangeLabel(q: { range: RangeChoice; from?: string; to?: string }): string {
  if (q.range === 'custom') return `${q.from ?? '?'} – ${q.to ?? '?'}`;
  return `${FIXED_RANGES[q.range] === 1 ? '24 h' : `${FIXED_RANGES[q.range]} d`}`;
}

/** The unused-keys view's choices: no call (but Keydeck's) in this many days. */
export const UNUSED_DAYS = [30, 60, 90] as const;
export type UnusedDays = (typeof UNUSED_DAYS)[number];
