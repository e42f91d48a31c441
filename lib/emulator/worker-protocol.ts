/** Messages between the standalone server's main thread and its data-plane worker threads. */
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
  body: Uint8Array;
  log?: RequestLogEntry;
  usage: [keyId: string, usage: LastUsage][];
  events: TrailEvent[];
}

/** Main → worker. One port carries both, so a request always meets every change made before it was sent. */
export type ToWorker = { t: 'changes'; changes: StoreChange[] } | { t: 'requests'; requests: WorkerRequest[] };

/** Worker → main. */
export type FromWorker = { t: 'responses'; responses: WorkerResponse[] };
