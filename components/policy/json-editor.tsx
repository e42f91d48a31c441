'use client';
/**
 * The policy JSON editor: CodeMirror 6 with the JSON language, folding, bracket matching and a lint
 * gutter fed from outside (parse errors and lint findings at their line and column). Statements to
 * highlight (the simulator's deciding ones) are passed as start positions and marked to their closing brace.
 * Loaded with next/dynamic, so only the policy route pays for CodeMirror.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, HighlightStyle, foldKeymap, indentOnInput, matchBrackets, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, StateField, type Text } from '@codemirror/state';
import { Decoration, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

export interface EditorDiagnostic {
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface JsonEditorProps {
  value: string;
  onChange: (value: string) => void;
  diagnostics: EditorDiagnostic[];
  /** Start positions (1-based) of statements to highlight. */
  highlights: { line: number; column: number; effect: 'Allow' | 'Deny' }[];
  /** Moves the cursor to this position when it changes. */
  focusAt?: { line: number; column: number; nonce: number };
  label: string;
}

function toPos(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
  return Math.min(l.from + Math.max(column - 1, 0), l.to);
}

/** A diagnostic covers the JSON token at its position: a whole string, or the rest of the line. */
function tokenEnd(doc: Text, from: number): number {
  const line = doc.lineAt(from);
  const text = line.text.slice(from - line.from);
  if (text.startsWith('"')) {
    const close = text.indexOf('"', 1);
    if (close > 0) return from + close + 1;
  }
  return Math.max(line.to, from + 1 > line.to ? from : from + 1);
}

const setHighlights = StateEffect.define<DecorationSet>();
const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update: (value, tr) => {
    for (const e of tr.effects) if (e.is(setHighlights)) return e.value;
    return value.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

const allowLine = Decoration.line({ class: 'cm-decided-allow' });
const denyLine = Decoration.line({ class: 'cm-decided-deny' });

function highlightDecorations(state: EditorState, highlights: JsonEditorProps['highlights']): DecorationSet {
  const ranges: ReturnType<typeof allowLine.range>[] = [];
  for (const h of highlights) {
    if (h.line > state.doc.lines) continue;
    const from = toPos(state.doc, h.line, h.column);
    const match = matchBrackets(state, from, 1);
    const to = match?.matched && match.end ? match.end.to : from;
    const first = state.doc.lineAt(from).number;
    const last = state.doc.lineAt(to).number;
    for (let n = first; n <= last; n++) ranges.push((h.effect === 'Deny' ? denyLine : allowLine).range(state.doc.line(n).from));
  }
  ranges.sort((a, b) => a.from - b.from);
  return Decoration.set(ranges, true);
}

// Tailwind classes, so light and dark mode both keep AA contrast.
const highlightStyle = HighlightStyle.define([
  { tag: tags.propertyName, class: 'text-sky-800 dark:text-sky-300' },
  { tag: tags.string, class: 'text-emerald-800 dark:text-emerald-300' },
  { tag: [tags.number, tags.bool, tags.null], class: 'text-violet-800 dark:text-violet-300' },
  { tag: tags.invalid, class: 'text-red-700 dark:text-red-300' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '12.5px' },
  // The editor grows with the policy (the page scrolls), so every line of a usual policy is rendered and findable.
  '.cm-content, .cm-gutter': { minHeight: '24rem' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'currentColor' },
  '.cm-gutters': { backgroundColor: 'transparent', border: 'none' },
  '.cm-decided-allow': { backgroundColor: 'rgba(16, 185, 129, 0.14)' },
  '.cm-decided-deny': { backgroundColor: 'rgba(239, 68, 68, 0.14)' },
});

export default function JsonEditor({ value, onChange, diagnostics, highlights, focusAt, label }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(highlightStyle),
          json(),
          keymap.of([...defaultKeymap, ...historyKeymap, ...foldKeymap]),
          highlightField,
          theme,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; value changes arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Text set from outside (the default view, a restored version) replaces the document.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const doc = editor.state.doc;
    const list: Diagnostic[] = diagnostics
      .filter((d) => d.line <= doc.lines)
      .map((d) => {
        const from = toPos(doc, d.line, d.column);
        return { from, to: Math.min(tokenEnd(doc, from), doc.length), severity: d.severity, message: d.message };
      });
    editor.dispatch(setDiagnostics(editor.state, list));
  }, [diagnostics, value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch({ effects: setHighlights.of(highlightDecorations(editor.state, highlights)) });
  }, [highlights, value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !focusAt) return;
    const pos = toPos(editor.state.doc, focusAt.line, focusAt.column);
    editor.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    editor.focus();
  }, [focusAt]);

  return <div ref={host} className="overflow-hidden rounded-lg border border-zinc-300 bg-white text-zinc-900 [&_.cm-gutters]:text-zinc-600! dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100 dark:[&_.cm-gutters]:text-zinc-400! dark:[&_.cm-activeLine]:bg-zinc-800/40 dark:[&_.cm-activeLineGutter]:bg-zinc-800/40" />;
}
