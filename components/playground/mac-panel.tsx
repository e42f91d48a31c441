'use client';
/** GenerateMac and VerifyMac with an HMAC key. */
import { BadgeCheck, Hash } from 'lucide-react';
import { useId, useState } from 'react';
import { generateMacAction, verifyMacAction } from '@/app/(console)/playground/actions';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { fromBase64, toBase64, utf8 } from '@/lib/playground/bytes';
import { CallResult } from './call-result';
import { Card, Field, textAreaClass } from './card';
import { download } from '@/components/ui/download';
import { usePlaygroundAction, useShownCall } from './use-call';

export function MacPanel({ scope, detail }: { scope: Scope; detail: KeyDetail }) {
  const id = useId();
  const [algorithm, setAlgorithm] = useState(detail.macAlgorithms[0] ?? '');
  const [text, setText] = useState('{"event":"order.paid","order":1042}');
  const [mac, setMac] = useState('');
  const [valid, setValid] = useState<boolean | null>(null);
  const [shown, setShown] = useShownCall();
  const generate = usePlaygroundAction(generateMacAction);
  const verify = usePlaygroundAction(verifyMacAction);

  const onGenerate = async () => {
    const call = await generate.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn, message: toBase64(utf8(text)), macAlgorithm: algorithm }).catch(() => null);
    if (!call) return;
    setMac(String(call.response.Mac));
    setValid(null);
    setShown({ call, cli: { op: 'generate-mac', keyId: detail.arn, macAlgorithm: algorithm } });
  };
  const onVerify = async () => {
    setValid(null);
    try {
      const call = await verify.mutateAsync({ region: scope.region, account: scope.account, keyId: detail.arn, message: toBase64(utf8(text)), macAlgorithm: algorithm, mac: mac.trim() });
      setValid(call.response.MacValid === true);
      setShown({ call, cli: { op: 'verify-mac', keyId: detail.arn, macAlgorithm: algorithm } });
    } catch (error) {
      if ((error as Error).name === 'KMSInvalidMacException') setValid(false);
    }
  };

  return (
    <div className="grid gap-4">
      <Card title="Generate and verify a MAC" description="An HMAC key never leaves KMS: the same message and key always give the same MAC.">
        <div className="grid gap-3 lg:grid-cols-2">
          <div className="grid content-start gap-3">
            <Field label="Message" htmlFor={`${id}-msg`}>
              <textarea id={`${id}-msg`} className={textAreaClass} value={text} onChange={(e) => setText(e.target.value)} />
            </Field>
            <Field label="MAC algorithm" htmlFor={`${id}-alg`}>
              <Select id={`${id}-alg`} value={algorithm} onChange={(e) => setAlgorithm(e.target.value)}>
                {detail.macAlgorithms.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </Select>
            </Field>
          </div>
          <div className="grid content-start gap-3">
            <Field label="MAC (base64)" htmlFor={`${id}-mac`} hint="Edit it, or the message, to see verification fail.">
              <textarea id={`${id}-mac`} className={textAreaClass} value={mac} onChange={(e) => setMac(e.target.value)} />
            </Field>
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="primary" onClick={onGenerate} disabled={!text || generate.isPending}>
                <Hash aria-hidden="true" /> Generate MAC
              </Button>
              <Button onClick={onVerify} disabled={!mac.trim() || verify.isPending}>
                <BadgeCheck aria-hidden="true" /> Verify MAC
              </Button>
              {mac && <Button onClick={() => download(fromBase64(mac.trim()), 'mac.bin')}>Download mac.bin</Button>}
              {valid === true && <Badge tone="success">MAC valid</Badge>}
              {valid === false && <Badge tone="danger">MAC invalid</Badge>}
            </div>
          </div>
        </div>
      </Card>
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}
