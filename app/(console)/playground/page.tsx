import type { Metadata } from 'next';
import { ComingSoon } from '@/components/shell/coming-soon';

export const metadata: Metadata = { title: 'Playground' };

export default function PlaygroundPage() {
  return (
    <ComingSoon
      title="Playground"
      summary="Try KMS operations against a key and see the exact request and response."
      plans={[
        'Encrypt and decrypt with an encryption context, generate data keys, sign and verify, generate and verify MACs.',
        'The equivalent AWS CLI command for every call, ready to copy.',
        'Errors shown as KMS returns them (exception name and message), so a failed call teaches something.',
      ]}
    />
  );
}
