import type { Metadata } from 'next';
import { ComingSoon } from '@/components/shell/coming-soon';

export const metadata: Metadata = { title: 'Usage & cost' };

export default function UsagePage() {
  return (
    <ComingSoon
      title="Usage & cost"
      summary="Which keys are used, by whom, and what they cost — from CloudTrail and the published KMS prices."
      plans={[
        'Requests per key, operation and caller over time, read from CloudTrail LookupEvents (management events, 90 days).',
        'Monthly cost per key: key storage, rotations and requests, from a dated price table with its sources.',
        'Unused keys (GetKeyLastUsage) and request peaks against the account’s KMS quotas.',
      ]}
    />
  );
}
