'use client';
/**
 * A TanStack mutation over a server action built with `defineAction`: unwraps its result, toasts a failure
 * with the KMS exception name and message (unless the caller shows it inline), and invalidates what it changed.
 */
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useToast } from '@/components/ui/toast';
import type { ActionResult } from '@/lib/actions/define-action';
import { ApiError } from './fetch-json';

export interface ActionMutationOptions<I, T> {
  /** Query keys to invalidate after success (and after failure too: the server may have changed part way). */
  invalidates: (input: I, data: T | undefined) => QueryKey[];
  /** The success toast's title; none when omitted. */
  successTitle?: (data: T, input: I) => string;
  /** Set when the form shows the error inline instead of in a toast. */
  silentError?: boolean;
}

export function useActionMutation<I, T>(action: (input: I) => Promise<ActionResult<T>>, options: ActionMutationOptions<I, T>) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation<T, ApiError, I>({
    mutationFn: async (input) => {
      const result = await action(input);
      if (!result.ok) throw new ApiError(result.error, 400);
      return result.data;
    },
    onSuccess: (data, input) => {
      if (options.successTitle) toast({ title: options.successTitle(data, input), tone: 'success' });
    },
    onError: (error) => {
      if (!options.silentError) toast({ title: error.name, description: error.message, tone: 'error' });
    },
    onSettled: (data, _error, input) => Promise.all(options.invalidates(input, data).map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
