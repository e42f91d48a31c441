import type { Metadata } from 'next';
import { ComingSoon } from '@/components/shell/coming-soon';

export const metadata: Metadata = { title: 'Audit' };

export default function AuditPage() {
  return (
    <ComingSoon
      title="Audit"
      summary="Who changed what, through this console and through KMS itself."
      plans={[
        'Keydeck’s own audit log: every change made in the console, with the person, time and result.',
        'KMS management events from CloudTrail: key creation, policy changes, deletions scheduled and cancelled.',
        'Filters by key, principal and time, and a CSV export.',
      ]}
    />
  );
}
