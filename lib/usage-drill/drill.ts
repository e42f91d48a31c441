/**
 * How the usage page's events table is narrowed past the charts' filter: one time bucket clicked on a
 * chart (`at` and `span`, epoch seconds) and one user agent family (`agent`). Pure: the page reads it from
 * its URL, the routes from theirs.
 */
export interface Drill {
  /** A bucket's start and length (an hour or a day), epoch seconds. */
  bucket?: { at: number; span: number };
  /** A user agent family, as the store records it (`aws-cli`, `boto3`, `keydeck` …). */
  agent?: string;
}

/** A bad drill parameter; the routes answer it as AWS would, ValidationException and HTTP 400. */
export class DrillError extends Error {
  override name = 'ValidationException';
}

const SPANS = new Set([3600, 86_400]);
const MAX_AGENT = 128;

/** `at`, `span` and `agent` from a URL: all optional, `at` and `span` together. */
export function parseDrill(params: URLSearchParams): Drill {
  const drill: Drill = {};
  const at = params.get('at');
  const span = params.get('span');
  if (at !== null || span !== null) {
    if (at === null || !/^\d{1,12}$/.test(at)) throw new DrillError('at must be a bucket start in epoch seconds.');
    if (span === null || !SPANS.has(Number(span))) throw new DrillError('span must be 3600 (an hour) or 86400 (a day).');
    if (Number(at) % Number(span) !== 0) throw new DrillError(`at must start a bucket of ${span} seconds.`);
    drill.bucket = { at: Number(at), span: Number(span) };
  }
  const agent = params.get('agent');
  if (agent !== null) {
    if (agent.length === 0 || agent.length > MAX_AGENT) throw new DrillError(`agent must be 1 to ${MAX_AGENT} characters.`);
    drill.agent = agent;
  }
  return drill;
}
