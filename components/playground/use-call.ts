'use client';
/** A playground action as a mutation whose last successful call (with its CLI twin) is kept for display. */
import { useState } from 'react';
import type { ActionResult } from '@/lib/actions/define-action';
import type { PlaygroundCall } from '@/lib/playground/call';
import type { CliOperation } from '@/lib/playground/cli';
import { useActionMutation } from '@/lib/queries/use-action-mutation';

export interface ShownCall {
  call: PlaygroundCall;
  cli: CliOperation;
}

/** Playground calls change no key, so they invalidate nothing; a KMS error is toasted by name. */
export function usePlaygroundAction<I>(action: (input: I) => Promise<ActionResult<PlaygroundCall>>) {
  return useActionMutation(action, { invalidates: () => [] });
}

export function useShownCall() {
  return useState<ShownCall | null>(null);
}
