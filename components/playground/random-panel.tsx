'use client';
/** GenerateRandom: KMS's random bytes (1–1,024), shown masked until revealed. */
import { Dices } from 'lucide-react';
import { useId, useState } from 'react';
import { generateRandomAction } from '@/app/(console)/playground/actions';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { Scope } from '@/lib/kms/inventory-types';
import { fromBase64 } from '@/lib/playground/bytes';
import { CallResult } from './call-result';
import { Card, Field, Problem } from './card';
import { download } from '@/components/ui/download';
import { usePlaygroundAction, useShownCall } from './use-call';

export function RandomPanel({ scope }: { scope: Scope }) {
  const id = useId();
  const [count, setCount] = useState('32');
  const [shown, setShown] = useShownCall();
  const random = usePlaygroundAction(generateRandomAction);
  const n = Number(count);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1024;

  const run = async () => {
    if (!valid) return;
    const call = await random.mutateAsync({ region: scope.region, account: scope.account, numberOfBytes: n }).catch(() => null);
    if (call) setShown({ call, cli: { op: 'generate-random', numberOfBytes: n } });
  };

  return (
    <div className="grid gap-4">
      <Card title="GenerateRandom" description="Random bytes from KMS's FIPS-validated generator; no key needed.">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Number of bytes" htmlFor={`${id}-n`}>
            <Input id={`${id}-n`} type="number" min={1} max={1024} value={count} onChange={(e) => setCount(e.target.value)} className="w-32" aria-invalid={!valid} />
          </Field>
          <Button variant="primary" onClick={run} disabled={!valid || random.isPending}>
            <Dices aria-hidden="true" /> Generate random
          </Button>
          {shown && <Button onClick={() => download(fromBase64(String(shown.call.response.Plaintext)), 'random.bin')}>Download random.bin</Button>}
        </div>
        {!valid && <div className="mt-2"><Problem>GenerateRandom returns from 1 to 1,024 bytes per call.</Problem></div>}
      </Card>
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}
