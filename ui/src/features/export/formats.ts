// What the Export-as-code dialog knows about each format beyond its name: a label, a line that
// says what the files are, and whether it needs the application's `module:app`. The list of
// formats itself comes from the Rust side (`code_formats`), so a format added there appears here
// with its own name until it gets a label.

import type { CodeFormat } from "../../lib/bindings/CodeFormat";
import type { CodeOptions } from "../../lib/bindings/CodeOptions";

const LABELS: Partial<Record<string, string>> = {
  pytest: "pytest + httpx",
  testClient: "pytest + FastAPI TestClient",
  flask: "pytest + Flask test client",
  curl: "curl script",
  respx: "respx mocks (httpx)",
  responses: "responses mocks (requests)",
  locust: "Locust load test",
  k6: "k6 script",
};

const HINTS: Partial<Record<string, string>> = {
  pytest: "A pytest project that sends each request over httpx to the live API.",
  testClient: "The same suite in-process against a FastAPI app: no server needed.",
  flask: "The same suite in-process against a Flask app: no server needed.",
  curl: "A bash script, one curl command per request, with status checks.",
  respx: "Recorded exchanges replayed for code that calls the API through httpx.",
  responses: "Recorded exchanges replayed for code that calls the API through requests.",
  locust: "A locustfile.py: one HttpUser per collection, a task per request.",
  k6: "A k6 script, one request per step.",
};

/** The formats that run the suite in-process and so need `module:app`. */
const NEEDS_APP: ReadonlySet<string> = new Set(["testClient", "flask"]);

/** The name shown for `format`: its label, else the format's own name. */
export function formatLabel(format: CodeFormat | string): string {
  return LABELS[format] ?? format;
}

/** One line on what `format` writes ("" when unknown). */
export function formatHint(format: CodeFormat | string): string {
  return HINTS[format] ?? "";
}

export function needsApp(format: CodeFormat | string): boolean {
  return NEEDS_APP.has(format);
}

/** The default `module:app` offered for `format`. */
export function appPlaceholder(format: CodeFormat | string): string {
  return format === "flask" ? "app:app" : "main:app";
}

/**
 * The options sent for a preview, or a sentence on what is missing: the in-process formats need
 * `module:attribute` (a dotted module, a colon, an attribute).
 */
export function optionsFor(format: CodeFormat | string, environment: string | null, app: string): CodeOptions | string {
  if (!needsApp(format)) return { environment, app: null };
  const spec = app.trim();
  if (spec === "") return `Enter the application as module:app (for example ${appPlaceholder(format)}).`;
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(spec)) {
    return `“${spec}” is not module:app (a dotted module, a colon, then the app's name).`;
  }
  return { environment, app: spec };
}

/** The success line: how many files went where. */
export function writtenLine(count: number, folder: string): string {
  return `Wrote ${count} ${count === 1 ? "file" : "files"} to ${folder}`;
}

/** The question asked before replacing files that already exist. */
export function replaceQuestion(existing: readonly string[], folder: string): string {
  const n = existing.length;
  const shown = existing.slice(0, 5).join(", ") + (n > 5 ? `, and ${n - 5} more` : "");
  return `${n} ${n === 1 ? "file already exists" : "files already exist"} in ${folder}: ${shown}. Replace ${n === 1 ? "it" : "them"}?`;
}

/** Files in the order the list shows them: top-level files first, then folders, each by name. */
export function sortFiles<T extends { path: string }>(files: readonly T[]): T[] {
  const depth = (p: string) => p.split("/").length;
  // Not localeCompare: its order depends on the webview's locale (codepoints under "C").
  const byName = (a: string, b: string) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return [...files].sort((a, b) => depth(a.path) - depth(b.path) || byName(a.path, b.path));
}
