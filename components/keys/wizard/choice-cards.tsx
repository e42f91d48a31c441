/** A radio group drawn as cards: a legend, one card per choice with a title and a line of help. */
import { cn } from '@/components/ui/cn';

export interface Choice<T extends string> {
  value: T;
  title: string;
  description?: React.ReactNode;
  disabled?: boolean;
}

export function ChoiceCards<T extends string>({
  legend,
  name,
  value,
  choices,
  onChange,
  hint,
  columns = 3,
}: {
  legend: string;
  name: string;
  value: T;
  choices: Choice<T>[];
  onChange: (value: T) => void;
  hint?: React.ReactNode;
  columns?: 2 | 3 | 4;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-semibold">{legend}</legend>
      {hint && <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{hint}</p>}
      <div className={cn('mt-2 grid gap-2', { 2: 'sm:grid-cols-2', 3: 'sm:grid-cols-3', 4: 'sm:grid-cols-2 lg:grid-cols-4' }[columns])}>
        {choices.map((choice) => (
          <label
            key={choice.value}
            className={cn(
              'flex cursor-pointer gap-2.5 rounded-lg border p-3 text-sm transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-amber-500',
              choice.value === value
                ? 'border-amber-500 bg-amber-50/60 dark:border-amber-400/70 dark:bg-amber-400/10'
                : 'border-zinc-200 bg-white hover:border-zinc-400 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-600',
              choice.disabled && 'cursor-not-allowed opacity-60 hover:border-zinc-200 dark:hover:border-zinc-800',
            )}
          >
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={choice.value === value}
              disabled={choice.disabled}
              onChange={() => onChange(choice.value)}
              className="mt-0.5 size-4 shrink-0 accent-amber-600 outline-none"
            />
            <span className="min-w-0">
              <span className="block font-medium">{choice.title}</span>
              {choice.description && <span className="mt-0.5 block text-zinc-600 dark:text-zinc-400">{choice.description}</span>}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
