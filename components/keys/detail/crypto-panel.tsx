/** Cryptographic configuration: what the key is and which algorithms it accepts. */
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { ORIGIN_LABELS, USAGE_LABELS, label } from '@/lib/kms/labels';
import { Card, Field, Fields, Mono, None } from './parts';

const list = (values: string[]) =>
  values.length > 0 ? (
    <ul className="flex flex-wrap gap-1">
      {values.map((v) => (
        <li key={v} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
          {v}
        </li>
      ))}
    </ul>
  ) : (
    <None>None</None>
  );

export function CryptoPanel({ detail }: { detail: KeyDetail }) {
  const { row } = detail;
  return (
    <Card title="Cryptographic configuration">
      <Fields>
        <Field name="Key type">{row.type}</Field>
        <Field name="Key spec">
          <Mono>{row.spec}</Mono>
        </Field>
        <Field name="Key usage">
          {label(USAGE_LABELS, row.usage)} <None>({row.usage})</None>
        </Field>
        <Field name="Origin">
          {label(ORIGIN_LABELS, row.origin)} <None>({row.origin})</None>
        </Field>
        <Field name="Encryption algorithms">{list(detail.encryptionAlgorithms)}</Field>
        <Field name="Signing algorithms">{list(detail.signingAlgorithms)}</Field>
        <Field name="MAC algorithms">{list(detail.macAlgorithms)}</Field>
        <Field name="Key agreement algorithms">{list(detail.keyAgreementAlgorithms)}</Field>
      </Fields>
    </Card>
  );
}
