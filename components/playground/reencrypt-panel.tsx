'use client';
/** ReEncrypt: move a ciphertext to another key (and context) without the plaintext ever leaving KMS. */
import { useQuery } from '@tanstack/react-query';
import { Repeat } from 'lucide-react';
import { useId, useState } from 'react';
import { reEncryptAction } from '@/app/(console)/playground/actions';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { contextFromRows, fromBase64 } from '@/lib/playground/bytes';
import { keyQueries } from '@/lib/queries/keys';
import { CallResult } from './call-result';
import { Card, Field, Problem, textAreaClass } from './card';
import { ContextEditor, type ContextRow } from './context-editor';
import { download } from '@/components/ui/download';
import { usePlaygroundAction, useShownCall } from './use-call';

export function ReEncryptPanel({ scope, detail, ciphertext, context }: { scope: Scope; detail: KeyDetail; ciphertext: string; context: ContextRow[] }) {
  const id = useId();
  const inventory = useQuery(keyQueries.list(scope));
  const targets = (inventory.data?.keys ?? []).filter((k) => k.manager === 'CUSTOMER' && k.spec === 'SYMMETRIC_DEFAULT' && k.usage === 'ENCRYPT_DECRYPT' && k.state === 'Enabled');
  const [source, setSource] = useState(ciphertext);
  const [sourceRows, setSourceRows] = useState<ContextRow[]>(context);
  const [destinationRows, setDestinationRows] = useState<ContextRow[]>(context);
  const [destination, setDestination] = useState('');
  const [shown, setShown] = useShownCall();
  const reEncrypt = usePlaygroundAction(reEncryptAction);
  const sourceContext = contextFromRows(sourceRows);
  const destinationContext = contextFromRows(destinationRows);
  const destinationId = destination || targets.find((k) => k.id !== detail.row.id)?.id || '';

  const run = async () => {
    if ('error' in sourceContext || 'error' in destinationContext || !destinationId) return;
    const input = {
      region: scope.region,
      account: scope.account,
      sourceKeyId: detail.arn,
      destinationKeyId: destinationId,
      ciphertext: source.trim(),
      sourceEncryptionContext: sourceContext.context,
      destinationEncryptionContext: destinationContext.context,
    };
    const call = await reEncrypt.mutateAsync(input).catch(() => null);
    if (call) {
      setShown({
        call,
        cli: { op: 're-encrypt', sourceKeyId: detail.arn, destinationKeyId: destinationId, sourceEncryptionContext: sourceContext.context, destinationEncryptionContext: destinationContext.context },
      });
    }
  };

  return (
    <div className="grid gap-4">
      <Card title="ReEncrypt" description="KMS decrypts under this key and encrypts under the destination key in one call; the plaintext never leaves KMS.">
        <div className="grid gap-3 lg:grid-cols-2">
          <div className="grid content-start gap-3">
            <Field label="Ciphertext to re-encrypt (base64)" htmlFor={`${id}-ct`} hint="Filled in from the last Encrypt on this key.">
              <textarea id={`${id}-ct`} className={textAreaClass} value={source} onChange={(e) => setSource(e.target.value)} />
            </Field>
            <ContextEditor label="Source context" rows={sourceRows} onChange={setSourceRows} />
            {'error' in sourceContext && <Problem>{sourceContext.error}</Problem>}
          </div>
          <div className="grid content-start gap-3">
            <Field label="Destination key" htmlFor={`${id}-dest`}>
              <Select id={`${id}-dest`} value={destinationId} onChange={(e) => setDestination(e.target.value)}>
                {targets.length === 0 && <option value="">No other symmetric key is enabled</option>}
                {targets.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.aliases[0] ?? k.id}
                    {k.id === detail.row.id ? ' (this key)' : ''}
                  </option>
                ))}
              </Select>
            </Field>
            <ContextEditor label="Destination context" rows={destinationRows} onChange={setDestinationRows} />
            {'error' in destinationContext && <Problem>{destinationContext.error}</Problem>}
          </div>
        </div>
        <div className="mt-3 flex flex-wrap gap-2">
          <Button variant="primary" onClick={run} disabled={!source.trim() || !destinationId || reEncrypt.isPending}>
            <Repeat aria-hidden="true" /> Re-encrypt
          </Button>
          {shown && (
            <Button onClick={() => download(fromBase64(String(shown.call.response.CiphertextBlob)), 'reencrypted.bin')}>Download reencrypted.bin</Button>
          )}
        </div>
      </Card>
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}
