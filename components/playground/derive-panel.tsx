'use client';
/** DeriveSharedSecret with a key agreement key: ECDH against a peer's public key, checked against the peer's own computation. */
import { KeyRound, Sparkles } from 'lucide-react';
import { useId, useState } from 'react';
import { deriveSharedSecretAction, getPublicKeyAction } from '@/app/(console)/playground/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { fromBase64, publicKeyDer, publicKeyPem, toBase64 } from '@/lib/playground/bytes';
import { CallResult } from './call-result';
import { Card, Field, Problem, textAreaClass } from './card';
import { download } from '@/components/ui/download';
import { usePlaygroundAction, useShownCall } from './use-call';

/** KMS key specs WebCrypto can generate a peer for, with the shared secret's length in bits. */
const CURVES: Record<string, { namedCurve: string; bits: number }> = {
  ECC_NIST_P256: { namedCurve: 'P-256', bits: 256 },
  ECC_NIST_P384: { namedCurve: 'P-384', bits: 384 },
  ECC_NIST_P521: { namedCurve: 'P-521', bits: 528 },
};

export function DerivePanel({ scope, detail }: { scope: Scope; detail: KeyDetail }) {
  const id = useId();
  const curve = CURVES[detail.row.spec];
  const [peerText, setPeerText] = useState('');
  const [peerPrivate, setPeerPrivate] = useState<CryptoKey | null>(null);
  const [match, setMatch] = useState<boolean | null>(null);
  const [shown, setShown] = useShownCall();
  const derive = usePlaygroundAction(deriveSharedSecretAction);
  const getPublicKey = usePlaygroundAction(getPublicKeyAction);
  const der = peerText.trim() ? publicKeyDer(peerText) : null;

  const generatePeer = async () => {
    if (!curve) return;
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: curve.namedCurve }, false, ['deriveBits']);
    setPeerPrivate(pair.privateKey);
    setPeerText(publicKeyPem(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))));
    setMatch(null);
  };

  const run = async () => {
    if (!der) return;
    const call = await derive.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn, keyAgreementAlgorithm: 'ECDH', publicKey: toBase64(der) }).catch(() => null);
    if (!call) return;
    setShown({ call, cli: { op: 'derive-shared-secret', keyId: detail.arn, keyAgreementAlgorithm: 'ECDH' } });
    setMatch(null);
    if (peerPrivate && curve) {
      // The peer's side: its private key with KMS's public key must give the same secret.
      const pk = await getPublicKey.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn }).catch(() => null);
      if (!pk) return;
      const kmsPublic = await crypto.subtle.importKey('spki', fromBase64(String(pk.response.PublicKey)), { name: 'ECDH', namedCurve: curve.namedCurve }, false, []);
      const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: kmsPublic }, peerPrivate, curve.bits));
      setMatch(toBase64(bits) === call.response.SharedSecret);
    }
  };

  return (
    <div className="grid gap-4">
      <Card title="Derive a shared secret" description="ECDH: KMS combines its private key with the peer's public key; the peer combines its private key with KMS's public key. Both get the same secret.">
        <div className="grid gap-3">
          <Field label="Peer public key (PEM or base64 DER)" htmlFor={`${id}-peer`} hint={curve ? undefined : `The browser cannot make a ${detail.row.spec} key pair; paste one (e.g. openssl ecparam -name secp256k1 -genkey | openssl ec -pubout).`}>
            <textarea id={`${id}-peer`} className={textAreaClass} value={peerText} onChange={(e) => { setPeerText(e.target.value); setPeerPrivate(null); }} />
          </Field>
          {peerText.trim() && !der && <Problem>That is not a PEM or base64 public key.</Problem>}
          <div className="flex flex-wrap items-center gap-2">
            {curve && (
              <Button onClick={generatePeer}>
                <Sparkles aria-hidden="true" /> Generate a peer key pair in this tab
              </Button>
            )}
            <Button variant="primary" onClick={run} disabled={!der || derive.isPending}>
              <KeyRound aria-hidden="true" /> Derive shared secret
            </Button>
            {der && <Button onClick={() => download(der, 'peer-public-key.der')}>Download peer-public-key.der</Button>}
            {match === true && <Badge tone="success">The peer derived the same secret</Badge>}
            {match === false && <Badge tone="danger">The peer derived a different secret</Badge>}
          </div>
        </div>
      </Card>
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}
