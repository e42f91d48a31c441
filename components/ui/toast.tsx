'use client';
/**
 * Toasts: added to a polite live region (errors as role="alert"), dismissible, paused while
 * hovered or focused. `useToast()` shows one; an error toast carries the KMS exception name and message.
 */
import { X } from 'lucide-react';
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { cn } from './cn';
import { focusRing } from './focus-ring';

export interface ToastInput {
  title: string;
  description?: string;
  tone?: 'info' | 'success' | 'error';
}

interface ToastItem extends ToastInput {
  id: number;
}

const ToastContext = createContext<((toast: ToastInput) => void) | null>(null);

export function useToast(): (toast: ToastInput) => void {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast() needs a <Toaster> above it');
  return show;
}

let nextId = 1;

export function Toaster({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const show = useCallback((toast: ToastInput) => setToasts((all) => [...all.slice(-3), { ...toast, id: nextId++ }]), []);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      {/* Always mounted: a live region announces what is added to it, not what arrives already inside a new one. */}
      <section aria-label="Notifications" aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-[60] flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2">
        {toasts.map((toast) => (
          <Toast key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </section>
    </ToastContext.Provider>
  );
}

function Toast({ toast, onDismiss }: { toast: ToastItem; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  const remaining = useRef(toast.tone === 'error' ? 12_000 : 6_000);
  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = setTimeout(() => onDismiss(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current -= Date.now() - started;
    };
  }, [paused, toast.id, onDismiss]);

  const error = toast.tone === 'error';
  return (
    <div
      role={error ? 'alert' : undefined}
      onPointerEnter={() => setPaused(true)}
      onPointerLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      className={cn(
        'pointer-events-auto relative grid gap-1 rounded-lg border bg-white p-3 pr-9 text-sm shadow-lg dark:bg-zinc-900',
        error ? 'border-red-300 dark:border-red-500/40' : 'border-zinc-200 dark:border-zinc-700',
      )}
    >
      <p className={cn('font-medium', error && 'text-red-700 dark:text-red-400')}>{toast.title}</p>
      {toast.description && <p className="break-words text-zinc-600 dark:text-zinc-400">{toast.description}</p>}
      <button type="button" aria-label="Dismiss" onClick={() => onDismiss(toast.id)} className={cn('absolute top-2 right-2 rounded p-1 text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100', focusRing)}>
        <X aria-hidden="true" className="size-4" />
      </button>
    </div>
  );
}
