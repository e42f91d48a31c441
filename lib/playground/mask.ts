/** A call's JSON body for display, its secret members (plaintexts, data keys …) hidden until revealed. */
import type { Json } from './call';

export function maskedJson(body: Record<string, Json>, secret: readonly string[], reveal: boolean): string {
  if (reveal || secret.length === 0) return JSON.stringify(body, null, 2);
  const copy: Record<string, Json> = { ...body };
  for (const member of secret) {
    const value = copy[member];
    if (typeof value === 'string') copy[member] = `•••••• hidden (${Math.floor((value.length * 3) / 4) - (value.match(/=+$/)?.[0].length ?? 0)} bytes)`;
  }
  return JSON.stringify(copy, null, 2);
}
