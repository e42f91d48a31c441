/**
 * What of a failure may be shown to the browser. An AWS service's exception (it answered: NotFound,
 * AccessDenied, a ValidationException …) keeps its name and message, which KMS words without the
 * plaintexts, ciphertexts or credentials sent (lib/security/error-secrets.test.ts). Anything else is a
 * bug or a parse failure whose message may quote its input (V8's JSON.parse does), so the browser
 * gets a fixed message and the server log gets the name and stack frames, never the message.
 */
import type { KmsErrorInfo } from '@/lib/kms/inventory-types';

/** JavaScript's own error classes: their messages describe values of the program, inputs included. */
const BUILT_IN = new Set(['Error', 'SyntaxError', 'TypeError', 'RangeError', 'ReferenceError', 'URIError', 'EvalError', 'AggregateError']);

export const INTERNAL_MESSAGE = 'The console could not complete the request; the server log has the details.';

/** True for an error raised on purpose with a name of its own (an SDK or console error class, or `Object.assign(new Error(…), { name: 'NotFoundException' })`). */
function isDeliberate(error: Error): boolean {
  return '$metadata' in error || !BUILT_IN.has(error.constructor.name) || error.name !== error.constructor.name;
}

export function publicErrorInfo(error: unknown): KmsErrorInfo {
  if (error instanceof Error && isDeliberate(error)) return { name: error.name, message: error.message };
  const name = error instanceof Error ? error.constructor.name : 'Error';
  // The stack without its first line, which repeats the message.
  const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 6).join('\n') : '';
  console.error(`Unexpected ${name} in a route handler${frames ? `\n${frames}` : ''}`);
  return { name: 'InternalError', message: INTERNAL_MESSAGE };
}
