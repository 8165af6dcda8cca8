// Which highlighting a piece of generated code gets in a read-only viewer (the export dialog's
// preview, the composer's Code pane): chosen from a file's extension or a snippet's language.
// Kept free of CodeMirror so the choice is testable on its own; `cm.ts` turns it into extensions.
// Only the languages the UI bundles a mode for are named; everything else is shown plain.

import type { SnippetLanguage } from "./bindings/SnippetLanguage";

export type CodeLanguage = "json" | "python" | "plain";

/** The highlighting for a generated file, by its path's extension (case-insensitive). */
export function languageForPath(path: string): CodeLanguage {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const dot = name.lastIndexOf(".");
  const ext = dot <= 0 ? "" : name.slice(dot + 1);
  if (ext === "json") return "json";
  if (ext === "py" || ext === "pyi") return "python";
  return "plain";
}

/** The highlighting for a composer snippet in `language`. */
export function languageForSnippet(language: SnippetLanguage): CodeLanguage {
  switch (language) {
    case "pythonHttpx":
    case "pythonRequests":
      return "python";
    case "curl":
    case "javaScriptFetch":
    case "goNetHttp":
    case "rustReqwest":
      return "plain";
  }
}
