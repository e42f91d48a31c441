'use client';
/** Copies a value (an ARN, a key id, a policy) to the clipboard and says so. */
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';

export function CopyButton({ value, label, children }: { value: string; label: string; children?: React.ReactNode }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      toast({ tone: 'error', title: 'Copy failed', description: 'The browser did not allow access to the clipboard.' });
    }
  };
  return (
    <Button variant="ghost" size={children ? 'sm' : 'icon'} className={children ? undefined : 'size-7'} aria-label={children ? undefined : label} title={label} onClick={copy}>
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {children}
    </Button>
  );
}
