/** The line under a field: its problem (red, announced) or its hint. */
import { CircleAlert } from 'lucide-react';

export function FieldProblem({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <p id={id} className="mt-1 flex items-start gap-1 text-sm text-red-700 dark:text-red-400">
      <CircleAlert aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}

export function FieldHint({ id, children }: { id?: string; children: React.ReactNode }) {
  return (
    <p id={id} className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
      {children}
    </p>
  );
}
