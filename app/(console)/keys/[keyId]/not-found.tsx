import Link from 'next/link';
import { PageHeader } from '@/components/shell/page-header';

export default function KeyNotFound() {
  return (
    <>
      <PageHeader title="Key not found" description="No key with this id or alias exists in this account and region (NotFoundException)." />
      <p className="px-6 text-sm">
        <Link href="/keys" className="font-medium underline">
          Back to the key inventory
        </Link>
      </p>
    </>
  );
}
