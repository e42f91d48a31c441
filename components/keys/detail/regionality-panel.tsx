'use client';
/** Regionality: a multi-Region key's primary and replicas, links to each, and "replicate to a region". */
import { useGate } from '@/components/auth/user-context';
import Link from 'next/link';
import { useId, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from '@/components/ui/table';
import { useToast } from '@/components/ui/toast';
import { replicateAvailability } from '@/lib/kms/key-availability';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { Card, Mono, Unavailable } from './parts';
import type { KeyDetailActions } from './types';

export function RegionalityPanel({
  detail,
  regions,
  action,
  keyHref,
}: {
  detail: KeyDetail;
  regions: string[];
  action: KeyDetailActions['replicate'];
  keyHref: (keyId: string, region: string) => string;
}) {
  const mr = detail.multiRegion;
  if (!mr) {
    return (
      <Card title="Regionality">
        <p className="text-sm">
          Single-Region key: it exists only in <span className="font-mono text-xs">{detail.region}</span>. Whether a key is multi-Region is chosen when it is created
          (its id then starts with <span className="font-mono text-xs">mrk-</span>); a single-Region key cannot be converted.
        </p>
      </Card>
    );
  }
  const members = [{ ...mr.primary, role: 'Primary' as const }, ...mr.replicas.map((r) => ({ ...r, role: 'Replica' as const }))];
  const taken = new Set(members.map((m) => m.region));
  const open = regions.filter((r) => !taken.has(r));
  return (
    <div className="grid gap-4">
      <Card title="Regionality" description="Related multi-Region keys share key id and key material, so a ciphertext from one Region decrypts in any other.">
        <Table aria-label="Multi-Region keys">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Region</TableHeaderCell>
              <TableHeaderCell>Role</TableHeaderCell>
              <TableHeaderCell>ARN</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {members.map((m) => (
              <TableRow key={m.region}>
                <TableCell className="py-2 whitespace-nowrap">
                  {m.region === detail.region ? (
                    <span className="font-mono text-xs">{m.region} (this key)</span>
                  ) : regions.includes(m.region) ? (
                    <Link className="font-mono text-xs font-medium underline" href={`${keyHref(detail.row.id, m.region)}&tab=regionality`}>
                      {m.region}
                    </Link>
                  ) : (
                    <span className="font-mono text-xs">{m.region}</span>
                  )}
                </TableCell>
                <TableCell className="py-2">
                  <Badge tone={m.role === 'Primary' ? 'success' : 'neutral'}>{m.role}</Badge>
                </TableCell>
                <TableCell className="py-2">
                  <Mono>{m.arn}</Mono>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
      <ReplicateForm detail={detail} open={open} action={action} />
    </div>
  );
}

function ReplicateForm({ detail, open, action }: { detail: KeyDetail; open: string[]; action: KeyDetailActions['replicate'] }) {
  const toast = useToast();
  const can = useGate('admin', replicateAvailability(detail));
  const [region, setRegion] = useState(open[0] ?? '');
  const id = useId();
  const chosen = open.includes(region) ? region : (open[0] ?? '');
  const reason = can.reason ?? (open.length === 0 ? 'This key already has a replica in every region the console shows.' : undefined);
  return (
    <Card title="Replicate to a region" description="ReplicateKey makes a replica with this key's description, tags and key policy.">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          action.mutate(
            { replicaRegion: chosen },
            { onSuccess: (replica) => toast({ tone: 'success', title: `Replicated to ${replica.region}`, description: replica.arn }) },
          );
        }}
      >
        <div>
          <label htmlFor={id} className="block text-sm font-medium">
            Replica region
          </label>
          <Select id={id} className="mt-1 w-48" value={chosen} disabled={!!reason} onChange={(e) => setRegion(e.target.value)}>
            {open.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit" variant="primary" disabled={!!reason || action.isPending}>
          {action.isPending ? 'Replicating…' : 'Replicate key'}
        </Button>
      </form>
      <div className="mt-2">
        <Unavailable reason={reason} />
      </div>
    </Card>
  );
}
