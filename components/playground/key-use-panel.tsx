'use client';
/**
 * Everything one key can do, as tabs chosen by its spec and usage: Encrypt/Decrypt, ReEncrypt and
 * envelope encryption for encryption keys, Sign/Verify, MAC or DeriveSharedSecret for the others.
 * Mountable on its own (the key detail page's "Use" tab): it loads the key's details itself.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import { keyQueries } from '@/lib/queries/keys';
import { type ContextRow } from './context-editor';
import { DerivePanel } from './derive-panel';
import { EncryptPanel } from './encrypt-panel';
import { EnvelopePanel } from './envelope-panel';
import { MacPanel } from './mac-panel';
import { ReEncryptPanel } from './reencrypt-panel';
import { SignPanel } from './sign-panel';

export type KeyAction = 'encrypt' | 'reencrypt' | 'envelope' | 'sign' | 'mac' | 'derive';

const ACTION_LABELS: Record<KeyAction, string> = {
  encrypt: 'Encrypt / Decrypt',
  reencrypt: 'ReEncrypt',
  envelope: 'Envelope (large files)',
  sign: 'Sign / Verify',
  mac: 'MAC',
  derive: 'Derive shared secret',
};

/** The playground actions valid for a key of this spec and usage. */
export function actionsFor(spec: string, usage: string): KeyAction[] {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return spec === 'SYMMETRIC_DEFAULT' ? ['encrypt', 'reencrypt', 'envelope'] : ['encrypt'];
    case 'SIGN_VERIFY':
      return ['sign'];
    case 'GENERATE_VERIFY_MAC':
      return ['mac'];
    case 'KEY_AGREEMENT':
      return ['derive'];
    default:
      return [];
  }
}

export interface KeyUsePanelProps {
  scope: Scope;
  keyId: string;
  /** Which endpoint the CLI commands name before the first call answers; calls report the server's mode themselves. */
  mode?: 'demo' | 'aws';
}

export function KeyUsePanel({ scope, keyId, mode = 'demo' }: KeyUsePanelProps) {
  const detail = useQuery(keyQueries.detail(scope, keyId));
  if (detail.error) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {detail.error.name}: {detail.error.message}
      </p>
    );
  }
  if (!detail.data) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the key…</p>;
  // Keyed by key: switching keys starts from clean forms.
  return <KeyActions key={detail.data.arn} scope={scope} detail={detail.data} mode={mode} />;
}

function KeyActions({ scope, detail, mode }: { scope: Scope; detail: KeyDetail; mode: 'demo' | 'aws' }) {
  const actions = actionsFor(detail.row.spec, detail.row.usage);
  const [tab, setTab] = useState<KeyAction | undefined>(actions[0]);
  const [ciphertext, setCiphertext] = useState('');
  const [context, setContext] = useState<ContextRow[]>([{ key: 'purpose', value: 'playground' }]);
  const [handOver, setHandOver] = useState<{ file: File; context: ContextRow[] } | null>(null);

  if (actions.length === 0 || !tab) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">The playground has no action for a {detail.row.spec} key with usage {detail.row.usage || 'unknown'}.</p>;
  }
  return (
    <div className="grid gap-3">
      {detail.row.state !== 'Enabled' && (
        <p className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          <Badge tone="warning">{detail.row.state}</Badge> KMS refuses cryptographic operations with a key in this state; try one to see the exception.
        </p>
      )}
      <Tabs value={tab} onValueChange={(v) => setTab(v as KeyAction)}>
        <TabsList aria-label="Key actions">
          {actions.map((a) => (
            <TabsTrigger key={a} value={a}>
              {ACTION_LABELS[a]}
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="encrypt" className="pt-4">
          <EncryptPanel
            scope={scope}
            detail={detail}
            ciphertext={ciphertext}
            onCiphertext={(c, rows) => {
              setCiphertext(c);
              setContext(rows);
            }}
            onSwitchToEnvelope={(file, rows) => {
              setHandOver({ file, context: rows });
              setTab('envelope');
            }}
          />
        </TabsContent>
        <TabsContent value="reencrypt" className="pt-4">
          <ReEncryptPanel scope={scope} detail={detail} ciphertext={ciphertext} context={context} />
        </TabsContent>
        <TabsContent value="envelope" className="pt-4">
          <EnvelopePanel scope={scope} detail={detail} mode={mode} initialFile={handOver?.file} initialContext={handOver?.context} />
        </TabsContent>
        <TabsContent value="sign" className="pt-4">
          <SignPanel scope={scope} detail={detail} mode={mode} />
        </TabsContent>
        <TabsContent value="mac" className="pt-4">
          <MacPanel scope={scope} detail={detail} />
        </TabsContent>
        <TabsContent value="derive" className="pt-4">
          <DerivePanel scope={scope} detail={detail} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
