'use client';
/**
 * Envelope encryption of files of any size in the browser: GenerateDataKey (server action), then
 * AES-256-GCM chunks with WebCrypto read from the File by slices and written to disk as they are made,
 * so memory stays flat at 1 GB and beyond. The data key is imported non-extractable and dropped after use.
 */
import { FileLock2, FileKey2 } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { decryptDataKeyAction, generateDataKeyAction } from '@/app/(console)/playground/actions';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import type { ActionResult } from '@/lib/actions/define-action';
import type { Scope } from '@/lib/kms/inventory-types';
import type { KeyDetail } from '@/lib/kms/key-detail-types';
import type { PlaygroundCall } from '@/lib/playground/call';
import { contextFromRows, fromBase64, toBase64 } from '@/lib/playground/bytes';
import { DEFAULT_CHUNK_SIZE, decryptEnvelope, encryptEnvelope, readHeader, type EnvelopeHeader } from '@/lib/playground/envelope-format';
import { CallResult, CliBlock } from './call-result';
import { Card, CodeBlock, Field, fileInputClass, Problem } from './card';
import { ContextEditor, type ContextRow } from './context-editor';
import { fileSource, openSink } from './envelope-sink';
import { type ShownCall } from './use-call';

const MB = 1024 * 1024;

/** KMS refused the data key; the toast already said why. */
class DataKeyRefused extends Error {}

/** The call as shown: its data key replaced by a note, so no React state keeps the plaintext key. */
function withoutDataKey(call: PlaygroundCall): PlaygroundCall {
  return {
    ...call,
    response: { ...call.response, Plaintext: '(the plaintext data key: imported into WebCrypto as non-extractable, then dropped)' },
    secret: { request: [], response: [] },
  };
}

interface Outcome {
  verb: 'Encrypted' | 'Decrypted';
  url: string;
  name: string;
  inBytes: number;
  outBytes: number;
  ms: number;
  sink: 'opfs' | 'blob';
}

export interface EnvelopePanelProps {
  scope: Scope;
  detail: KeyDetail;
  mode: 'demo' | 'aws';
  /** A file handed over from Encrypt (over the 4 KB limit), with its context. */
  initialFile?: File | null;
  initialContext?: ContextRow[];
}

export function EnvelopePanel({ scope, detail, mode, initialFile = null, initialContext }: EnvelopePanelProps) {
  const id = useId();
  const [file, setFile] = useState<File | null>(initialFile);
  const [envelope, setEnvelope] = useState<File | null>(null);
  const [header, setHeader] = useState<EnvelopeHeader | null>(null);
  const [rows, setRows] = useState<ContextRow[]>(initialContext ?? [{ key: 'purpose', value: 'backup' }]);
  // Kept at 100% once a run ends well, so the bar shows it finished; cleared when a run fails.
  const [progress, setProgress] = useState<{ done: number; total: number; verb: string } | null>(null);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [shown, setShown] = useState<ShownCall | null>(null);
  const toast = useToast();
  const busy = running;
  const context = contextFromRows(rows);
  const urlRef = useRef<string | null>(null);

  /**
   * The data key's actions are called directly, not through a TanStack mutation: a mutation keeps its
   * last result in the query client's cache, and the plaintext data key must not outlive its use.
   */
  const callForKey = async (pending: Promise<ActionResult<PlaygroundCall>>): Promise<PlaygroundCall | null> => {
    const result = await pending.catch((error: Error) => ({ ok: false as const, error: { name: error.name, message: error.message } }));
    if (result.ok) return result.data;
    toast({ title: result.error.name, description: result.error.message, tone: 'error' });
    return null;
  };

  useEffect(() => () => void (urlRef.current && URL.revokeObjectURL(urlRef.current)), []);

  const publish = (blob: Blob, result: Omit<Outcome, 'url'>) => {
    if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    urlRef.current = URL.createObjectURL(blob);
    setOutcome({ ...result, url: urlRef.current });
  };

  const onEncrypt = async () => {
    if (!file || 'error' in context) return;
    setProblem(null);
    setOutcome(null);
    setRunning(true);
    setProgress({ done: 0, total: file.size, verb: 'Encrypting' });
    const call = await callForKey(generateDataKeyAction({ region: scope.region, account: scope.account, keyId: detail.arn, encryptionContext: context.context }));
    if (!call) {
      setRunning(false);
      return setProgress(null);
    }
    const dataKey = fromBase64(String(call.response.Plaintext));
    setShown({ call: withoutDataKey(call), cli: { op: 'generate-data-key', keyId: detail.arn, encryptionContext: context.context } });
    const name = `${file.name}.kdenv`;
    const started = performance.now();
    setProgress({ done: 0, total: file.size, verb: 'Encrypting' });
    try {
      const sink = await openSink('encrypt-output', name);
      const outBytes = await encryptEnvelope({
        source: fileSource(file),
        sink: sink.write,
        dataKey, // zeroed by encryptEnvelope once imported
        keyArn: String(call.response.KeyId),
        encryptedDataKey: fromBase64(String(call.response.CiphertextBlob)),
        encryptionContext: context.context,
        chunkSize: DEFAULT_CHUNK_SIZE,
        onProgress: throttle((done, total) => setProgress({ done, total, verb: 'Encrypting' })),
      });
      const blob = await sink.finish();
      publish(blob, { verb: 'Encrypted', name, inBytes: file.size, outBytes, ms: performance.now() - started, sink: sink.kind });
      setProgress({ done: file.size, total: file.size, verb: 'Encrypted' });
    } catch (error) {
      setProblem(`${(error as Error).name}: ${(error as Error).message}`);
      setProgress(null);
    } finally {
      dataKey.fill(0);
      setRunning(false);
    }
  };

  const onPickEnvelope = async (picked: File | null) => {
    setEnvelope(picked);
    setHeader(null);
    setProblem(null);
    if (!picked) return;
    try {
      setHeader((await readHeader(fileSource(picked))).header);
    } catch (error) {
      setProblem(`${(error as Error).name}: ${(error as Error).message}`);
    }
  };

  const onDecrypt = async () => {
    if (!envelope || !header) return;
    setProblem(null);
    setOutcome(null);
    const name = envelope.name.replace(/\.kdenv$/, '') + (envelope.name.endsWith('.kdenv') ? '' : '.decrypted');
    const region = header.keyArn.split(':')[3] || scope.region;
    const started = performance.now();
    setRunning(true);
    setProgress({ done: 0, total: envelope.size, verb: 'Decrypting' });
    try {
      const sink = await openSink('decrypt-output', name);
      const outBytes = await decryptEnvelope({
        source: fileSource(envelope),
        sink: sink.write,
        unwrap: async (h) => {
          const call = await callForKey(decryptDataKeyAction({ region, account: scope.account, keyArn: h.keyArn, encryptedDataKey: toBase64(h.encryptedDataKey), encryptionContext: h.encryptionContext }));
          if (!call) throw new DataKeyRefused();
          setShown({ call: withoutDataKey(call), cli: { op: 'decrypt', keyId: h.keyArn, encryptionContext: h.encryptionContext } });
          return fromBase64(String(call.response.Plaintext)); // zeroed by decryptEnvelope once imported
        },
        onProgress: throttle((done, total) => setProgress({ done, total, verb: 'Decrypting' })),
      });
      const blob = await sink.finish();
      publish(blob, { verb: 'Decrypted', name, inBytes: envelope.size, outBytes, ms: performance.now() - started, sink: sink.kind });
      setProgress({ done: envelope.size, total: envelope.size, verb: 'Decrypted' });
    } catch (error) {
      // A KMS refusal was toasted by name already; a format error is shown here.
      if (!(error instanceof DataKeyRefused)) setProblem(`${(error as Error).name}: ${(error as Error).message}`);
      setProgress(null);
    } finally {
      setRunning(false);
    }
  };

  const mbps = outcome ? outcome.inBytes / MB / (outcome.ms / 1000) : 0;
  return (
    <div className="grid gap-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Envelope-encrypt a file" description="Any size: KMS makes a 256-bit data key, this tab encrypts the file with it in 1 MiB AES-256-GCM chunks, and only the encrypted data key is kept, in the file's header.">
          <div className="grid gap-3">
            <Field label="File to encrypt" htmlFor={`${id}-in`} hint={file ? `${file.name}: ${file.size.toLocaleString('en-US')} bytes` : undefined}>
              <input id={`${id}-in`} type="file" className={fileInputClass} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </Field>
            <ContextEditor label="Encryption context" rows={rows} onChange={setRows} />
            {'error' in context && <Problem>{context.error}</Problem>}
            <div>
              <Button variant="primary" onClick={onEncrypt} disabled={!file || busy || 'error' in context}>
                <FileLock2 aria-hidden="true" /> Envelope-encrypt
              </Button>
            </div>
          </div>
        </Card>
        <Card title="Decrypt an envelope" description="The header names the key and the context; KMS decrypts the data key, then this tab decrypts and checks every chunk.">
          <div className="grid gap-3">
            <Field label="Envelope file (.kdenv)" htmlFor={`${id}-env`}>
              <input id={`${id}-env`} type="file" className={fileInputClass} onChange={(e) => onPickEnvelope(e.target.files?.[0] ?? null)} />
            </Field>
            {header && (
              <CodeBlock label="Envelope header">
                {JSON.stringify({ keyArn: header.keyArn, encryptionContext: header.encryptionContext, chunkSize: header.chunkSize, encryptedDataKey: `${header.encryptedDataKey.length} bytes` }, null, 2)}
              </CodeBlock>
            )}
            <div>
              <Button variant="primary" onClick={onDecrypt} disabled={!header || busy}>
                <FileKey2 aria-hidden="true" /> Decrypt envelope
              </Button>
            </div>
          </div>
        </Card>
      </div>

      {progress && (
        <div className="grid gap-1" role="status">
          <label htmlFor={`${id}-progress`} className="text-sm">
            {progress.verb}
            {running ? '…' : ':'} {Math.floor((progress.done / Math.max(1, progress.total)) * 100)}%
          </label>
          <progress id={`${id}-progress`} aria-label="Envelope progress" className="h-2 w-full accent-amber-500" value={progress.done} max={Math.max(1, progress.total)} />
        </div>
      )}
      {problem && <Problem>{problem}</Problem>}
      {outcome && (
        <Card title={`${outcome.verb} ${outcome.name}`}>
          <p className="mb-3 text-sm text-zinc-700 dark:text-zinc-300" role="status">
            {outcome.verb} {(outcome.inBytes / MB).toFixed(1)} MB into {(outcome.outBytes / MB).toFixed(1)} MB in {(outcome.ms / 1000).toFixed(2)} s ({mbps.toFixed(1)} MB/s), written{' '}
            {outcome.sink === 'opfs' ? 'to disk as it was made (origin private file system)' : 'as Blob parts'}.
          </p>
          <Button asChild variant="primary">
            <a href={outcome.url} download={outcome.name}>
              Download {outcome.name}
            </a>
          </Button>
        </Card>
      )}
      {'context' in context && (
        <CliBlock
          title="The same from the command line"
          operation={
            outcome?.verb === 'Decrypted' || (envelope && !file)
              ? { op: 'envelope-decrypt', inFile: envelope?.name ?? 'file.kdenv', outFile: (envelope?.name ?? 'file.kdenv').replace(/\.kdenv$/, '') }
              : { op: 'envelope-encrypt', keyId: detail.arn, encryptionContext: context.context, inFile: file?.name ?? 'file', outFile: `${file?.name ?? 'file'}.kdenv` }
          }
          region={scope.region}
          mode={shown?.call.mode ?? mode}
          note="npm run envelope runs from a Keydeck checkout; its files open here and the other way round (docs/envelope-format.md)."
        />
      )}
      {shown && <CallResult scope={scope} call={shown.call} cli={shown.cli} />}
    </div>
  );
}

/** Progress updates at most every 100 ms: a re-render per 1 MiB chunk would slow a 1 GB file. */
function throttle(fn: (done: number, total: number) => void): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (now - last > 100 || done === total) {
      last = now;
      fn(done, total);
    }
  };
}
