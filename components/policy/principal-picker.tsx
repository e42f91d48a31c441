'use client';
/** Choose a principal from the account's known ones, or type an ARN; reports the choice with `onPick`. */
import { Plus } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { KnownPrincipal } from '@/lib/kms/key-policy-types';

const PRINCIPAL = /^(arn:aws[a-z-]*:(iam|sts)::\d{12}:.+|\d{12})$/;

export function PrincipalPicker({ known, exclude, onPick, label }: { known: KnownPrincipal[]; exclude: string[]; onPick: (arn: string) => void; label: string }) {
  const id = useId();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const options = known.filter((k) => !exclude.includes(k.id) && !k.id.endsWith('.amazonaws.com'));
  const addTyped = () => {
    const value = typed.trim();
    if (!PRINCIPAL.test(value)) {
      setError('Enter an IAM or STS ARN (arn:aws:iam::111122223333:role/name) or a 12-digit account id.');
      return;
    }
    const arn = /^\d{12}$/.test(value) ? `arn:aws:iam::${value}:root` : value;
    onPick(arn);
    setTyped('');
    setError(null);
  };
  return (
    <div className="mt-2 flex flex-wrap items-start gap-2">
      <Select
        aria-label={`${label}: choose a known principal`}
        value=""
        onChange={(e) => {
          if (e.target.value) onPick(e.target.value);
        }}
        className="w-72"
      >
        <option value="">Add a known principal…</option>
        {options.map((k) => (
          <option key={k.id} value={k.id}>
            {k.label}
          </option>
        ))}
      </Select>
      <div className="flex flex-col">
        <div className="flex gap-2">
          <Input
            id={id}
            aria-label={`${label}: type an ARN`}
            placeholder="or type an ARN or account id"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addTyped();
              }
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            className="w-80 font-mono text-xs"
          />
          <Button size="sm" className="h-9" onClick={addTyped} aria-label={`Add to ${label}`}>
            <Plus aria-hidden="true" /> Add
          </Button>
        </div>
        {error && (
          <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
