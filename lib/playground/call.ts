/** One playground call as the page shows it: the request and response as KMS's JSON (blobs in base64), and which fields are secret. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface PlaygroundCall {
  /** The KMS operation, e.g. `Encrypt`. */
  operation: string;
  region: string;
  mode: 'demo' | 'aws';
  /** The request members as sent (PascalCase, blobs base64). */
  request: Record<string, Json>;
  response: Record<string, Json>;
  /** Members of request/response that hold a plaintext, a data key or a shared secret: masked until revealed. */
  secret: { request: string[]; response: string[] };
  /** KMS's request id: CloudTrail records it as `requestID`, which finds this call's event. */
  requestId?: string;
  /** When the call was made (epoch ms), to bound the CloudTrail lookup. */
  at: number;
}
