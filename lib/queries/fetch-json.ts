/** GETs JSON from the console's own API; a failure throws with the KMS exception name and message the server sent. */
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';

export class ApiError extends Error {
  constructor(info: KmsErrorInfo, readonly status: number) {
    super(info.message);
    this.name = info.name;
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, ...init });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: KmsErrorInfo } | null)?.error;
    throw new ApiError(error ?? { name: `HTTP ${response.status}`, message: response.statusText || 'The request failed.' }, response.status);
  }
  return body as T;
}
