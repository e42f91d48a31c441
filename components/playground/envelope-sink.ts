/**
 * Where the browser writes a large envelope (or its decryption) so memory stays flat: the origin private
 * file system (OPFS) where the browser has it — chunks go to disk as they are made and the result is a
 * disk-backed File — else Blob parts, which Chromium's blob store pages to disk past its memory quota.
 */
import type { RandomAccessSource } from '@/lib/playground/envelope-format';

export interface OutputSink {
  kind: 'opfs' | 'blob';
  write: (bytes: Uint8Array) => Promise<void>;
  /** Closes the output and returns it as a Blob to download. */
  finish: () => Promise<Blob>;
}

const OUTPUT_DIR = 'keydeck-playground';

async function opfsDir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    if (typeof navigator.storage?.getDirectory !== 'function' || typeof FileSystemFileHandle === 'undefined' || !('createWritable' in FileSystemFileHandle.prototype)) return null;
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(OUTPUT_DIR, { create: true });
  } catch {
    return null;
  }
}

/** A fresh output named `name`; an earlier output of the same panel (`slot`) is deleted first. */
export async function openSink(slot: string, name: string, type = 'application/octet-stream'): Promise<OutputSink> {
  const dir = await opfsDir();
  if (dir) {
    await dir.removeEntry(slot).catch(() => undefined);
    const handle = await dir.getFileHandle(slot, { create: true });
    const writable = await handle.createWritable();
    return {
      kind: 'opfs',
      write: (bytes) => writable.write(bytes as Uint8Array<ArrayBuffer>),
      finish: async () => {
        await writable.close();
        const file = await handle.getFile();
        return new File([file], name, { type });
      },
    };
  }
  const parts: Blob[] = [];
  return {
    kind: 'blob',
    // One small Blob per chunk: the bytes move into the browser's blob store and the array can be collected.
    write: async (bytes) => void parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>])),
    finish: async () => new File(parts, name, { type }),
  };
}

/** A File read by position, one chunk at a time. */
export function fileSource(file: Blob): RandomAccessSource {
  return { size: file.size, read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()) };
}
