/**
 * Messages between the standalone server's main thread and its data-plane worker threads.
 *
 * Requests and responses travel as one string per batch, not as objects: posting a string is a copy
 * of its characters, while the structured clone of an object graph (headers, CloudTrail events …)
 * cost more per request than the Encrypt itself (measured: ~45 µs on the main thread and ~30 µs on
 * the worker per request, against ~5 µs for this framing). Every value is written as
 * `<length>:<characters>` (or `-` for undefined), so any text — a body, a CloudTrail record, a key
 * reference a client made up — round-trips exactly.
 *
 * What the main thread keeps (CloudTrail events, key usage) travels beside the text, as separate
 * strings: a value cut out of the batch text would be a slice that holds on to the whole batch —
 * response bodies, Decrypt plaintexts among them — for as long as the event is kept.
 */
import type { LastUsage, RequestLogEntry, StoreChange, TrailEvent } from './index';
import type { WireRequest } from './protocol';

export interface WorkerRequest extends Omit<WireRequest, 'body'> {
  id: number;
  /** As a string: a Buffer from the socket may be a slice of a large pool that posting would copy whole. */
  body: string;
}

export interface WorkerResponse {
  id: number;
  status: number;
  headers: Record<string, string>;
  /** The response body (JSON text). */
  body: string;
  log?: RequestLogEntry;
  usage: [keyArn: string, usage: LastUsage][];
  events: TrailEvent[];
}

/** Main → worker. One port carries both, so a request always meets every change made before it was sent. */
export type ToWorker = { t: 'changes'; changes: StoreChange[] } | { t: 'requests'; batch: string };

/** Worker → main: a batch of encoded responses, and the strings the main thread keeps. */
export type FromWorker = { t: 'responses'; batch: string; kept: string[] };

/** Appends values to one string. */
export class Encoder {
  text = '';
  /** Values sent as strings of their own (see keep). */
  readonly kept: string[] = [];
  str(value: string | undefined): this {
    this.text += value === undefined ? '-' : `${value.length}:${value}`;
    return this;
  }
  num(value: number): this {
    return this.str(String(value));
  }
  /** A value the receiver keeps: sent beside the text, so keeping it does not keep the batch. */
  keep(value: string): this {
    this.kept.push(value);
    return this.num(this.kept.length - 1);
  }
}

/** Reads back what an Encoder wrote, in the same order. */
export class Decoder {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly kept: readonly string[] = [],
  ) {}
  get done(): boolean {
    return this.at >= this.text.length;
  }
  str(): string | undefined {
    if (this.text.charCodeAt(this.at) === 45 /* - */) {
      this.at++;
      return undefined;
    }
    const colon = this.text.indexOf(':', this.at);
    const length = Number(this.text.slice(this.at, colon));
    if (colon < 0 || !Number.isInteger(length)) throw new Error('worker message: malformed frame');
    this.at = colon + 1 + length;
    return this.text.slice(colon + 1, this.at);
  }
  /** A value that must be present. */
  req(): string {
    const value = this.str();
    if (value === undefined) throw new Error('worker message: missing value');
    return value;
  }
  num(): number {
    return Number(this.req());
  }
  /** A value written with Encoder.keep. */
  keptValue(): string {
    const value = this.kept[this.num()];
    if (value === undefined) throw new Error('worker message: missing kept value');
    return value;
  }
}

export function encodeRequest(out: Encoder, request: WorkerRequest): void {
  out.num(request.id).str(request.method).str(request.path).str(request.sourceIp);
  let names = 0;
  for (const name in request.headers) if (request.headers[name] !== undefined) names++;
  out.num(names);
  for (const name in request.headers) {
    const value = request.headers[name];
    if (value !== undefined) out.str(name).str(value);
  }
  out.str(request.body);
}

export function decodeRequest(input: Decoder): WorkerRequest {
  const id = input.num();
  const method = input.req();
  const path = input.req();
  const sourceIp = input.str();
  const headers: Record<string, string> = {};
  for (let n = input.num(); n > 0; n--) {
    const name = input.req();
    headers[name] = input.req();
  }
  return { id, method, path, sourceIp, headers, body: input.req() };
}

export function encodeResponse(out: Encoder, response: WorkerResponse): void {
  out.num(response.id).num(response.status);
  const names = Object.keys(response.headers);
  out.num(names.length);
  for (const name of names) out.str(name).str(response.headers[name]);
  out.str(response.body);
  const { log } = response;
  if (log) out.str('L').str(log.operation).str(log.region).str(log.keyId).num(log.status).str(log.errorCode).num(log.ms);
  else out.str(undefined);
  out.num(response.usage.length);
  for (const [arn, usage] of response.usage) out.keep(arn).keep(usage.operation).num(usage.at).keep(usage.requestId);
  out.num(response.events.length);
  for (const e of response.events) {
    out.keep(e.account).keep(e.region).num(e.time).keep(e.eventId).keep(e.eventName).keep(e.eventSource).str(e.readOnly ? '1' : '').keep(e.accessKeyId).keep(e.username);
    out.num(e.resources.length);
    for (const r of e.resources) out.keep(r.ResourceType).keep(r.ResourceName);
    out.keep(e.json);
  }
}

export function decodeResponse(input: Decoder): WorkerResponse {
  const id = input.num();
  const status = input.num();
  const headers: Record<string, string> = {};
  for (let n = input.num(); n > 0; n--) {
    const name = input.req();
    headers[name] = input.req();
  }
  const body = input.req();
  let log: RequestLogEntry | undefined;
  if (input.str() !== undefined) log = { operation: input.req(), region: input.str(), keyId: input.str(), status: input.num(), errorCode: input.str(), ms: input.num() };
  const usage: [string, LastUsage][] = [];
  for (let n = input.num(); n > 0; n--) usage.push([input.keptValue(), { operation: input.keptValue() as LastUsage['operation'], at: input.num(), requestId: input.keptValue() }]);
  const events: TrailEvent[] = [];
  for (let n = input.num(); n > 0; n--) {
    const account = input.keptValue();
    const region = input.keptValue();
    const time = input.num();
    const eventId = input.keptValue();
    const eventName = input.keptValue();
    const eventSource = input.keptValue();
    const readOnly = input.req() === '1';
    const accessKeyId = input.keptValue();
    const username = input.keptValue();
    const resources: TrailEvent['resources'] = [];
    for (let r = input.num(); r > 0; r--) resources.push({ ResourceType: input.keptValue(), ResourceName: input.keptValue() });
    events.push({ account, region, time, eventId, eventName, eventSource, readOnly, accessKeyId, username, resources, json: input.keptValue() });
  }
  return { id, status, headers, body, log, usage, events };
}
