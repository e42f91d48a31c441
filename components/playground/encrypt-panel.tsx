'use client';
/** Encrypt and Decrypt with one key: text or a small file, an editable encryption context, and the 4 KB limit explained. */
import { Eye, EyeOff, Lock, Unlock } from 'lucide-react';
import { useId, useState } from 'react';
import { encryptAction, decryptAction } from '@/app/(console)/playground/actions';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { asText, contextFromRows, fromBase64, toBase64, utf8 } from '@/lib/playground/bytes';
import { CallResult } from './call-result';
import { Card, CodeBlock, Field, fileInputClass, Problem, textAreaClass } from './card';
import { ContextEditor, type ContextRow } from './context-editor';
import { download } from '@/components/ui/download';
import { usePlaygroundAction, useShownCall } from './use-call';

/** Encrypt's plaintext limit (KMS API reference, Encrypt: "Plaintext … Length Constraints: Minimum length of 1. Maximum length of 4096."). */
export const KMS_PLAINTEXT_LIMIT = 4096;

export interface EncryptPanelProps {
  scope: Scope;
  detail: KeyDetail;
  ciphertext: string;
  onCiphertext: (ciphertext: string, context: ContextRow[]) => void;
  /** Hands the (too large) input over to envelope encryption. */
  onSwitchToEnvelope: (file: File, context: ContextRow[]) => void;
}

export function EncryptPanel({ scope, detail, ciphertext, onCiphertext, onSwitchToEnvelope }: EncryptPanelProps) {
  const id = useId();
  const symmetric = detail.row.spec === 'SYMMETRIC_DEFAULT';
  const [source, setSource] = useState<'text' | 'file'>('text');
  const [text, setText] = useState('Hello, KMS!');
  const [file, setFile] = useState<File | null>(null);
  const [rows, setRows] = useState<ContextRow[]>(symmetric ? [{ key: 'purpose', value: 'playground' }] : []);
  const [decryptRows, setDecryptRows] = useState<ContextRow[]>(rows);
  const [algorithm, setAlgorithm] = useState(detail.encryptionAlgorithms[0] ?? 'SYMMETRIC_DEFAULT');
  const [decrypted, setDecrypted] = useState<Uint8Array | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [shown, setShown] = useShownCall();
  const encrypt = usePlaygroundAction(encryptAction);
  const decrypt = usePlaygroundAction(decryptAction);

  const size = source === 'text' ? utf8(text).length : (file?.size ?? 0);
  const tooLarge = size > KMS_PLAINTEXT_LIMIT;
  const context = contextFromRows(rows);
  const decryptContext = contextFromRows(decryptRows);

  const onEncrypt = async () => {
    if (tooLarge || size === 0 || 'error' in context) return;
    const plaintext = source === 'text' ? utf8(text) : new Uint8Array(await file!.arrayBuffer());
    const encryptionAlgorithm = symmetric ? undefined : (algorithm as 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256');
    const call = await encrypt.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn, plaintext: toBase64(plaintext), encryptionContext: context.context, encryptionAlgorithm }).catch(() => null);
    if (!call) return;
    setShown({ call, cli: { op: 'encrypt', keyId: detail.arn, encryptionContext: context.context, encryptionAlgorithm } });
    onCiphertext(String(call.response.CiphertextBlob), rows);
    setDecryptRows(rows);
    setDecrypted(null);
  };

  const onDecrypt = async () => {
    if ('error' in decryptContext) return;
    const encryptionAlgorithm = symmetric ? undefined : (algorithm as 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256');
    const call = await decrypt
      .mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn, ciphertext: ciphertext.trim(), encryptionContext: decryptContext.context, encryptionAlgorithm })
      .catch(() => null);
    if (!call) return;
    setShown({ call, cli: { op: 'decrypt', keyId: detail.arn, encryptionContext: decryptContext.context, encryptionAlgorithm } });
    setDecrypted(fromBase64(String(call.response.Plaintext)));
    setRevealed(false);
  };

  const switchToEnvelope = () => onSwitchToEnvelope(source === 'file' && file ? file : new File([text], 'plaintext.txt', { type: 'text/plain' }), rows);
  const decryptedText = decrypted ? asText(decrypted) : null;

  return (
    <div className="grid gap-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Encrypt" description="KMS encrypts up to 4,096 bytes directly; larger data needs envelope encryption.">
          <div className="grid gap-3">
            <div role="radiogroup" aria-label="Plaintext source" className="flex gap-4 text-sm">
              {(['text', 'file'] as const).map((s) => (
                <label key={s} className="flex items-center gap-1.5">
                  <input type="radio" name={`${id}-source`} checked={source === s} onChange={() => setSource(s)} />
                  {s === 'text' ? 'Text' : 'File'}
                </label>
              ))}
            </div>
            {source === 'text' ? (
              <Field label="Plaintext" htmlFor={`${id}-text`} hint={`${size.toLocaleString('en-US')} bytes (UTF-8)`}>
                <textarea id={`${id}-text`} className={textAreaClass} value={text} onChange={(e) => setText(e.target.value)} />
              </Field>
            ) : (
              <Field label="Plaintext file" htmlFor={`${id}-file`} hint={file ? `${file.name}: ${size.toLocaleString('en-US')} bytes` : 'Up to 4,096 bytes.'}>
                <input id={`${id}-file`} type="file" className={fileInputClass} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
              </Field>
            )}
            {tooLarge && (
              <div className="grid gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-400/30 dark:bg-amber-400/10 dark:text-amber-200" role="status">
                <p>
                  <strong>{size.toLocaleString('en-US')} bytes is over KMS&apos;s 4,096-byte limit for Encrypt.</strong> KMS keys never leave KMS, so KMS only encrypts
                  small secrets itself. For anything larger, use envelope encryption: KMS generates a data key (GenerateDataKey), your data is encrypted with it
                  locally, and only the encrypted data key is stored beside it.
                </p>
                {symmetric && (
                  <div>
                    <Button size="sm" variant="primary" onClick={switchToEnvelope}>
                      Switch to envelope encryption
                    </Button>
                  </div>
                )}
              </div>
            )}
            {symmetric ? (
              <>
                <ContextEditor label="Encryption context" rows={rows} onChange={setRows} />
                {'error' in context && <Problem>{context.error}</Problem>}
              </>
            ) : (
              <Field label="Encryption algorithm" htmlFor={`${id}-alg`} hint="Asymmetric keys take no encryption context.">
                <Select id={`${id}-alg`} value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
                  {detail.encryptionAlgorithms.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </Select>
              </Field>
            )}
            <div>
              <Button variant="primary" onClick={onEncrypt} disabled={tooLarge || size === 0 || encrypt.isPending}>
                <Lock aria-hidden="true" /> Encrypt
              </Button>
            </div>
          </div>
        </Card>

        <Card title="Decrypt" description="Give the same encryption context used to encrypt, or KMS refuses with InvalidCiphertextException.">
          <div className="grid gap-3">
            <Field label="Ciphertext (base64)" htmlFor={`${id}-ct`}>
              <textarea id={`${id}-ct`} className={textAreaClass} value={ciphertext} onChange={(e) => onCiphertext(e.target.value, rows)} placeholder="Encrypt something, or paste a ciphertext blob" />
            </Field>
            <div className="flex flex-wrap gap-2">
              <Button size="sm" disabled={!ciphertext} onClick={() => download(fromBase64(ciphertext.trim()), 'ciphertext.bin')}>
                Download ciphertext.bin
              </Button>
              <label className="inline-flex cursor-pointer items-center text-xs text-zinc-700 underline dark:text-zinc-300">
                Load ciphertext.bin
                <input
                  type="file"
                  className="sr-only"
                  onChange={async (e) => {
                    const f = e.target.files?.[0];
                    if (f) onCiphertext(toBase64(new Uint8Array(await f.arrayBuffer())), decryptRows);
                  }}
                />
              </label>
            </div>
            {symmetric && (
              <>
                <ContextEditor label="Decryption context" rows={decryptRows} onChange={setDecryptRows} />
                {'error' in decryptContext && <Problem>{decryptContext.error}</Problem>}
              </>
            )}
            <div>
              <Button variant="primary" onClick={onDecrypt} disabled={!ciphertext.trim() || decrypt.isPending}>
                <Unlock aria-hidden="true" /> Decrypt
              </Button>
            </div>
            {decrypted && (
              <div className="grid gap-2">
                <div className="flex items-center justify-between gap-2">
                  <h4 className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Decrypted plaintext ({decrypted.length} bytes)</h4>
                  <div className="flex gap-1">
                    <Button size="sm" variant="ghost" aria-pressed={revealed} onClick={() => setRevealed((r) => !r)}>
                      {revealed ? <EyeOff aria-hidden="true" /> : <Eye aria-hidden="true" />} {revealed ? 'Hide plaintext' : 'Reveal plaintext'}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => download(decrypted, 'decrypted.bin')}>
                      Download
                    </Button>
                  </div>
                </div>
                <CodeBlock label="Decrypted plaintext">{revealed ? (decryptedText ?? `base64: ${toBase64(decrypted)}`) : '•••••• hidden'}</CodeBlock>
              </div>
            )}
          </div>
        </Card>
      </div>
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}
