/** The one visible keyboard focus style, shared by every interactive primitive. */
export const focusRing =
  'outline-none focus-visible:ring-2 focus-visible:ring-amber-500 focus-visible:ring-offset-2 focus-visible:ring-offset-white dark:focus-visible:ring-offset-zinc-950';
