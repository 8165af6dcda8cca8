// CodeMirror setups: the JSON body editor and the read-only response viewer. Colours come from
// the CSS variables in app.css, so both follow the light/dark theme without reconfiguring.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { python } from "@codemirror/lang-python";
import {
  bracketMatching,
  codeFolding,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
  syntaxTree,
} from "@codemirror/language";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorState, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder as placeholderExt,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import type { CodeLanguage } from "./codeLanguage";

const theme = EditorView.theme({
  "&": {
    color: "var(--text)",
    backgroundColor: "var(--bg-editor)",
    fontSize: "var(--font-size-code)",
    height: "100%",
  },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": {
    fontFamily: "var(--font-mono)",
    lineHeight: "1.55",
    overflow: "auto",
  },
  ".cm-content": { padding: "6px 0", caretColor: "var(--text)" },
  ".cm-line": { padding: "0 12px 0 6px" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
    { backgroundColor: "var(--selection)" },
  ".cm-gutters": {
    backgroundColor: "var(--bg-editor)",
    color: "var(--text-faint)",
    border: "none",
    borderRight: "1px solid var(--border-subtle)",
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 8px 0 12px", minWidth: "32px" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--active-line)", color: "var(--text-muted)" },
  ".cm-foldGutter .cm-gutterElement": { padding: "0 4px", cursor: "pointer", color: "var(--text-faint)" },
  ".cm-foldGutter .cm-gutterElement:hover": { color: "var(--text)" },
  ".cm-foldPlaceholder": {
    backgroundColor: "var(--bg-hover)",
    border: "1px solid var(--border)",
    color: "var(--text-muted)",
    borderRadius: "4px",
    padding: "0 4px",
    margin: "0 2px",
  },
  ".cm-matchingBracket": { backgroundColor: "var(--match-bracket)", outline: "none" },
  ".cm-searchMatch": { backgroundColor: "var(--search-match)", outline: "1px solid var(--search-match-border)" },
  ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: "var(--search-match-selected)" },
  ".cm-selectionMatch": { backgroundColor: "var(--selection-match)" },
  ".cm-placeholder": { color: "var(--text-faint)" },
  ".cm-panels": {
    backgroundColor: "var(--bg-elev)",
    color: "var(--text)",
    fontFamily: "var(--font-ui)",
    fontSize: "12px",
  },
  ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--border)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
  ".cm-panel.cm-search": { padding: "6px 8px" },
  ".cm-panel.cm-search input, .cm-panel.cm-search button, .cm-panel.cm-search label": { fontSize: "12px" },
  ".cm-textfield": {
    backgroundColor: "var(--bg-input)",
    color: "var(--text)",
    border: "1px solid var(--border)",
    borderRadius: "4px",
    padding: "2px 6px",
  },
  ".cm-button": {
    backgroundImage: "none",
    backgroundColor: "var(--bg-input)",
    color: "var(--text)",
    border: "1px solid var(--border)",
    borderRadius: "4px",
    padding: "2px 8px",
  },
  ".cm-tooltip": {
    backgroundColor: "var(--bg-elev)",
    border: "1px solid var(--border)",
    borderRadius: "6px",
    color: "var(--text)",
    boxShadow: "var(--shadow-pop)",
  },
  ".cm-tooltip-lint": { padding: "2px 0" },
  ".cm-diagnostic": { padding: "4px 8px", fontFamily: "var(--font-ui)", fontSize: "12px" },
  ".cm-diagnostic-error": { borderLeft: "3px solid var(--danger)" },
  ".cm-lintRange-error": {
    backgroundImage: "none",
    textDecoration: "underline wavy var(--danger)",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "3px",
  },
  ".cm-gutter-lint": { width: "12px" },
  ".cm-lint-marker": { width: "10px", height: "10px" },
});

const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--syn-key)" },
  { tag: t.string, color: "var(--syn-string)" },
  { tag: t.number, color: "var(--syn-number)" },
  { tag: [t.bool, t.null], color: "var(--syn-keyword)" },
  { tag: t.keyword, color: "var(--syn-keyword)" },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: "var(--syn-punct)" },
  { tag: t.invalid, color: "var(--danger)" },
  // Generated code (JSON has neither).
  { tag: t.comment, color: "var(--text-faint)", fontStyle: "italic" },
  { tag: [t.function(t.definition(t.variableName)), t.definition(t.className)], color: "var(--syn-key)" },
]);

/**
 * Where JSON.parse's message says the error is, when it says (V8: "at position N", Firefox:
 * "line L column C"); JavaScriptCore's messages carry no position.
 */
function positionFromMessage(message: string, doc: string): number | null {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const lines = doc.split("\n");
    const line = Math.min(Number(lc[1]), lines.length);
    let offset = 0;
    for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
    return offset + Number(lc[2]) - 1;
  }
  return null;
}

/**
 * JSON syntax errors as lint diagnostics. JSON.parse decides whether the text is valid; the
 * position comes from the parser's error nodes (or the message), so it is right in every webview.
 * An empty document is fine (nothing to send yet).
 */
function jsonLinter(): Extension {
  return linter(
    (view): Diagnostic[] => {
      const doc = view.state.doc.toString();
      if (doc.trim() === "") return [];
      try {
        JSON.parse(doc);
        return [];
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        let at: number | null = null;
        syntaxTree(view.state).iterate({
          enter: (node) => {
            if (at !== null) return false;
            if (node.type.isError) at = node.from;
            return undefined;
          },
        });
        if (at === null) at = positionFromMessage(message, doc);
        if (at === null) at = doc.trimEnd().length;
        const from = Math.min(Math.max(0, at), doc.length);
        const to = Math.min(doc.length, from + 1);
        return [{ from, to, severity: "error", message: message.replace(/^JSON\.parse: |^JSON Parse error: /, "") }];
      }
    },
    { delay: 300 },
  );
}

function label(text: string): Extension {
  return EditorView.contentAttributes.of({ "aria-label": text });
}

/**
 * The editable JSON body editor. Tab is left for moving focus; Enter indents. Brackets are not
 * auto-closed, so text typed by a person or a test driver arrives exactly as typed.
 */
export function jsonEditorExtensions(opts: { label: string; placeholder?: string }): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    foldGutter({ openText: "▾", closedText: "▸" }),
    drawSelection(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(highlight),
    bracketMatching(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    json(),
    jsonLinter(),
    lintGutter(),
    keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap]),
    theme,
    label(opts.label),
    ...(opts.placeholder ? [placeholderExt(opts.placeholder)] : []),
  ];
}

/** A plain-text editor (Text bodies). */
export function textEditorExtensions(opts: { label: string; placeholder?: string }): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    search({ top: true }),
    keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap]),
    EditorView.lineWrapping,
    theme,
    label(opts.label),
    ...(opts.placeholder ? [placeholderExt(opts.placeholder)] : []),
  ];
}

/** A language's parser with highlighting and folding; nothing for plain text. */
function languageExtensions(language: CodeLanguage): Extension[] {
  if (language === "plain") return [];
  return [
    language === "json" ? json() : python(),
    syntaxHighlighting(highlight),
    codeFolding(),
    foldGutter({ openText: "▾", closedText: "▸" }),
    bracketMatching(),
  ];
}

/**
 * The read-only viewer (responses, generated code); `jsonMode` adds JSON highlighting and
 * folding, `language` (when given) picks the highlighting instead.
 */
export function viewerExtensions(opts: { label: string; jsonMode: boolean; wrap: boolean; language?: CodeLanguage }): Extension[] {
  return [
    lineNumbers(),
    highlightSpecialChars(),
    drawSelection(),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    // Keep it focusable so the keyboard can scroll, select and search.
    EditorView.contentAttributes.of({ tabindex: "0" }),
    highlightSelectionMatches(),
    search({ top: true }),
    keymap.of([...defaultKeymap, ...searchKeymap, ...foldKeymap]),
    ...languageExtensions(opts.language ?? (opts.jsonMode ? "json" : "plain")),
    ...(opts.wrap ? [EditorView.lineWrapping] : []),
    theme,
    label(opts.label),
  ];
}
