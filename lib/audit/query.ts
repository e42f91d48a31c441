/**
 * The /audit view's filters as the URL holds them (so a filtered view is a link), shared by the server
 * page, the route handlers and the browser. Times are ISO 8601 instants.
 */
import type { AuditFilter, AuditOutcome } from './log';

export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  key?: string;
  from?: string;
  to?: string;
}

export const AUDIT_QUERY_FIELDS = ['actor', 'action', 'outcome', 'key', 'from', 'to'] as const;

const OUTCOMES = new Set<string>(['ok', 'error', 'denied']);
const clean = (value: string | null | undefined) => {
  const v = value?.trim();
  return v ? v.slice(0, 2048) : undefined;
};
const instant = (value: string | null | undefined) => {
  const v = clean(value);
  return v && Number.isFinite(Date.parse(v)) ? v : undefined;
};

/** Reads the filters from URL parameters; unknown outcomes and unparsable times are dropped. */
export function parseAuditQuery(get: (name: string) => string | null | undefined): AuditQuery {
  const outcome = clean(get('outcome'));
  const query: AuditQuery = {
    actor: clean(get('actor')),
    action: clean(get('action')),
    outcome: outcome && OUTCOMES.has(outcome) ? (outcome as AuditOutcome) : undefined,
    key: clean(get('key')),
    from: instant(get('from')),
    to: instant(get('to')),
  };
  for (const field of AUDIT_QUERY_FIELDS) if (query[field] === undefined) delete query[field];
  return query;
}

export function auditParams(query: AuditQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const field of AUDIT_QUERY_FIELDS) {
    const value = query[field];
    if (value) params.set(field, value);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

export function toAuditFilter(query: AuditQuery): AuditFilter {
  return {
    actor: query.actor,
    action: query.action,
    outcome: query.outcome,
    key: query.key,
    from: query.from ? Date.parse(query.from) : undefined,
    to: query.to ? Date.parse(query.to) : undefined,
  };
}
