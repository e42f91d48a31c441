/** An asymmetric key's public key: download as PEM or DER (GetPublicKey through a route handler). */
import { Download } from 'lucide-react';
import { Button } from '@/components/ui/button';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { Card, Field, Fields, Mono } from './parts';

export function PublicKeyPanel({ detail, urlFor }: { detail: KeyDetail; urlFor: (format: 'pem' | 'der') => string }) {
  return (
    <Card
      title="Public key"
      description="Share it with whoever verifies your signatures, encrypts data for you or derives a shared secret with you. The private key never leaves KMS."
    >
      <Fields>
        <Field name="Key spec">
          <Mono>{detail.row.spec}</Mono>
        </Field>
        <Field name="Format">SubjectPublicKeyInfo (X.509), as PEM text or binary DER</Field>
      </Fields>
      <div className="mt-4 flex flex-wrap gap-2">
        <Button asChild variant="primary">
          <a href={urlFor('pem')} download>
            <Download aria-hidden="true" /> Download PEM
          </a>
        </Button>
        <Button asChild>
          <a href={urlFor('der')} download>
            <Download aria-hidden="true" /> Download DER
          </a>
        </Button>
      </div>
    </Card>
  );
}
