'use client';
/** Sign and Verify with an asymmetric key: RAW or DIGEST messages, every algorithm the key supports, and verification outside KMS with OpenSSL. */
import { BadgeCheck, PenLine } from 'lucide-react';
import { useId, useState } from 'react';
import { getPublicKeyAction, signAction, verifyAction } from '@/app/(console)/playground/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { fromBase64, publicKeyPem, toBase64, toHex, utf8 } from '@/lib/playground/bytes';
import { opensslVerify } from '@/lib/playground/cli';
import { CallResult, CliBlock } from './call-result';
import { Card, CodeBlock, Field, textAreaClass } from './card';
import { CopyButton } from './copy-button';
import { download } from '@/components/ui/download';
import { usePlaygroundAction, useShownCall } from './use-call';

/** The message types KMS accepts with an algorithm (EXTERNAL_MU, for ML-DSA, is left to the CLI). */
export function messageTypesFor(algorithm: string): ('RAW' | 'DIGEST')[] {
  if (algorithm === 'ED25519_SHA_512' || algorithm.startsWith('ML_DSA_')) return ['RAW'];
  if (algorithm === 'ED25519_PH_SHA_512') return ['DIGEST'];
  return ['RAW', 'DIGEST'];
}

const HASHES: Record<string, string> = { '256': 'SHA-256', '384': 'SHA-384', '512': 'SHA-512' };
const hashFor = (algorithm: string) => HASHES[/_(256|384|512)$/.exec(algorithm)?.[1] ?? ''] ?? 'SHA-256';

export function SignPanel({ scope, detail, mode }: { scope: Scope; detail: KeyDetail; mode: 'demo' | 'aws' }) {
  const id = useId();
  const algorithms = detail.signingAlgorithms;
  const [algorithm, setAlgorithm] = useState(algorithms[0] ?? '');
  const [messageType, setMessageType] = useState<'RAW' | 'DIGEST'>(messageTypesFor(algorithms[0] ?? '')[0]);
  const [text, setText] = useState('release v1.2.3, sha256 of the tarball: 9f86d081884c7d659a2feaa0c55ad015');
  const [signature, setSignature] = useState('');
  const [publicKey, setPublicKey] = useState<Uint8Array | null>(null);
  const [sent, setSent] = useState<Uint8Array | null>(null);
  const [valid, setValid] = useState<boolean | null>(null);
  const [shown, setShown] = useShownCall();
  const sign = usePlaygroundAction(signAction);
  const verify = usePlaygroundAction(verifyAction);
  const getPublicKey = usePlaygroundAction(getPublicKeyAction);
  const types = messageTypesFor(algorithm);

  /** What KMS receives: the message itself, or (DIGEST) its hash computed here in the browser. */
  const message = async (): Promise<Uint8Array> => (messageType === 'DIGEST' ? new Uint8Array(await crypto.subtle.digest(hashFor(algorithm), utf8(text))) : utf8(text));

  const onSign = async () => {
    const bytes = await message();
    const call = await sign.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn, message: toBase64(bytes), messageType, signingAlgorithm: algorithm }).catch(() => null);
    if (!call) return;
    setSent(bytes);
    setSignature(String(call.response.Signature));
    setValid(null);
    setShown({ call, cli: { op: 'sign', keyId: detail.arn, messageType, signingAlgorithm: algorithm } });
    if (!publicKey) {
      const pk = await getPublicKey.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn }).catch(() => null);
      if (pk) setPublicKey(fromBase64(String(pk.response.PublicKey)));
    }
  };

  const onVerify = async () => {
    const bytes = await message();
    setSent(bytes);
    setValid(null);
    const input = { region: scope.region, account: scope.account, keyId: detail.arn, message: toBase64(bytes), messageType, signingAlgorithm: algorithm, signature: signature.trim() };
    try {
      const call = await verify.mutateAsync(input);
      setValid(call.response.SignatureValid === true);
      setShown({ call, cli: { op: 'verify', keyId: detail.arn, messageType, signingAlgorithm: algorithm } });
    } catch (error) {
      if ((error as Error).name === 'KMSInvalidSignatureException') setValid(false);
    }
  };

  const openssl = opensslVerify(algorithm, messageType);

  return (
    <div className="grid gap-4">
      <Card title="Sign and verify" description="The private key never leaves KMS; anyone with the public key can verify, with or without KMS.">
        <div className="grid gap-3 lg:grid-cols-2">
          <div className="grid content-start gap-3">
            <Field label="Message" htmlFor={`${id}-msg`} hint={messageType === 'DIGEST' ? `The browser hashes this with ${hashFor(algorithm)} and sends only the digest (MessageType DIGEST).` : 'Sent as is (MessageType RAW, up to 4,096 bytes); KMS hashes it.'}>
              <textarea id={`${id}-msg`} className={textAreaClass} value={text} onChange={(e) => setText(e.target.value)} />
            </Field>
            <div className="flex flex-wrap gap-3">
              <Field label="Signing algorithm" htmlFor={`${id}-alg`}>
                <Select
                  id={`${id}-alg`}
                  value={algorithm}
                  onChange={(e) => {
                    setAlgorithm(e.target.value);
                    if (!messageTypesFor(e.target.value).includes(messageType)) setMessageType(messageTypesFor(e.target.value)[0]);
                  }}
                >
                  {algorithms.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </Select>
              </Field>
              <Field label="Message type" htmlFor={`${id}-type`}>
                <Select id={`${id}-type`} value={messageType} onChange={(e) => setMessageType(e.target.value as 'RAW' | 'DIGEST')}>
                  {types.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </Select>
              </Field>
            </div>
          </div>
          <div className="grid content-start gap-3">
            <Field label="Signature (base64)" htmlFor={`${id}-sig`} hint="Edit it to see verification fail.">
              <textarea id={`${id}-sig`} className={textAreaClass} value={signature} onChange={(e) => setSignature(e.target.value)} />
            </Field>
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="primary" onClick={onSign} disabled={!text || sign.isPending}>
                <PenLine aria-hidden="true" /> Sign
              </Button>
              <Button onClick={onVerify} disabled={!signature.trim() || verify.isPending}>
                <BadgeCheck aria-hidden="true" /> Verify
              </Button>
              {valid === true && <Badge tone="success">Signature valid</Badge>}
              {valid === false && <Badge tone="danger">Signature invalid</Badge>}
            </div>
          </div>
        </div>
      </Card>

      {signature && publicKey && sent && (
        <Card title="Verify outside KMS" description="Download the three files, then run the OpenSSL commands: no AWS credentials involved.">
          <div className="mb-3 flex flex-wrap gap-2">
            <Button size="sm" onClick={() => download(fromBase64(signature.trim()), 'signature.bin')}>Download signature.bin</Button>
            <Button size="sm" onClick={() => download(sent, 'message.bin')}>Download message.bin</Button>
            <Button size="sm" onClick={() => download(publicKey, 'public-key.der')}>Download public-key.der</Button>
            <Button size="sm" onClick={() => download(publicKeyPem(publicKey), 'public-key.pem', 'application/x-pem-file')}>Download public-key.pem</Button>
          </div>
          {messageType === 'DIGEST' && <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">message.bin holds the {hashFor(algorithm)} digest: {toHex(sent)}</p>}
          {openssl.commands ? (
            <div className="grid gap-1">
              <div className="flex justify-end">
                <CopyButton text={openssl.commands.join('\n')} label="Copy the OpenSSL commands" />
              </div>
              <CodeBlock label="OpenSSL verification commands">{openssl.commands.join('\n')}</CodeBlock>
            </div>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{openssl.reason}</p>
          )}
          <div className="mt-3">
            <CliBlock title="AWS CLI: fetch the public key" operation={{ op: 'get-public-key', keyId: detail.arn }} region={scope.region} mode={shown?.call.mode ?? mode} />
          </div>
        </Card>
      )}
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}
