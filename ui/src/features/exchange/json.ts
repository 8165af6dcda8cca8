// Pretty-printing JSON without parsing it into values: numbers (big integers included), string
// escapes and key order come out exactly as the server sent them; only whitespace changes.
//
// A response is whatever the server sent, so both the indentation and the output are bounded:
// past `MAX_INDENT_DEPTH` levels lines are not indented further (indenting every level made the
// output grow with the square of the depth: 40 KB of nested arrays became gigabytes), and an
// output past `PRETTY_OUTPUT_LIMIT_CHARS` is given up on, so the caller shows the raw text.

/** Lines nested deeper than this are indented as if they were at this depth. */
export const MAX_INDENT_DEPTH = 64;

/** Past this many characters of output, pretty-printing stops and reports `too-large`. */
export const PRETTY_OUTPUT_LIMIT_CHARS = 32 * 1024 * 1024;

export type PrettyResult =
  /** `deep`: some of the text is nested past `MAX_INDENT_DEPTH`, where indentation stops growing. */
  | { kind: "ok"; text: string; deep: boolean }
  | { kind: "invalid" }
  | { kind: "too-large"; limit: number };

/** Re-indents valid JSON with `indent` spaces; returns null when the text is not valid JSON or too big. */
export function prettyJson(text: string, indent = 2): string | null {
  const r = formatJson(text, indent);
  return r.kind === "ok" ? r.text : null;
}

/** Re-indents valid JSON, telling apart invalid JSON and output past `limit` characters. */
export function formatJson(text: string, indent = 2, limit = PRETTY_OUTPUT_LIMIT_CHARS): PrettyResult {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "invalid" };
  try {
    JSON.parse(trimmed);
  } catch {
    return { kind: "invalid" };
  }
  return reindent(trimmed, indent, limit);
}

function reindent(src: string, indentSize: number, limit: number): PrettyResult {
  const out: string[] = [];
  const pads: string[] = [""];
  let deep = false;
  const pad = (level: number): string => {
    if (level > MAX_INDENT_DEPTH) {
      deep = true;
      level = MAX_INDENT_DEPTH;
    }
    while (pads.length <= level) pads.push(" ".repeat(pads.length * indentSize));
    return pads[level];
  };
  // The output is the input less its whitespace, plus one newline and one indent per line.
  let size = 0;
  let level = 0;
  let i = 0;
  const n = src.length;
  let runStart = -1; // start of a run of literal characters (numbers, true, false, null)
  const flushRun = (end: number) => {
    if (runStart >= 0) {
      out.push(src.slice(runStart, end));
      runStart = -1;
    }
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    switch (c) {
      case 0x22: {
        // "
        flushRun(i);
        let j = i + 1;
        for (;;) {
          const q = src.indexOf('"', j);
          if (q < 0) {
            j = n;
            break;
          }
          let backslashes = 0;
          for (let k = q - 1; k > i && src.charCodeAt(k) === 0x5c; k--) backslashes++;
          j = q + 1;
          if (backslashes % 2 === 0) break;
        }
        out.push(src.slice(i, j));
        size += j - i;
        if (size > limit) return { kind: "too-large", limit };
        i = j;
        continue;
      }
      case 0x7b: // {
      case 0x5b: {
        // [
        flushRun(i);
        const close = c === 0x7b ? 0x7d : 0x5d;
        let k = i + 1;
        while (k < n && isWs(src.charCodeAt(k))) k++;
        if (k < n && src.charCodeAt(k) === close) {
          out.push(c === 0x7b ? "{}" : "[]");
          size += 2;
          i = k + 1;
          continue;
        }
        level++;
        const p = pad(level);
        out.push(String.fromCharCode(c), "\n", p);
        size += 2 + p.length;
        break;
      }
      case 0x7d: // }
      case 0x5d: {
        // ]
        flushRun(i);
        level--;
        const p = pad(level);
        out.push("\n", p, String.fromCharCode(c));
        size += 2 + p.length;
        break;
      }
      case 0x2c: {
        // ,
        flushRun(i);
        const p = pad(level);
        out.push(",\n", p);
        size += 2 + p.length;
        break;
      }
      case 0x3a: // :
        flushRun(i);
        out.push(": ");
        size += 2;
        break;
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        flushRun(i);
        break;
      default:
        size++;
        if (runStart < 0) runStart = i;
    }
    if (size > limit) return { kind: "too-large", limit };
    i++;
  }
  flushRun(n);
  return { kind: "ok", text: out.join(""), deep };
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// ---- Big bodies: pretty text made by the backend, read a window at a time ----

/** JSON bodies over this many bytes are pretty-printed by the backend and shown a window at a time. */
export const SERVER_PRETTY_FROM = 1024 * 1024;
/** The first window of backend pretty text: enough for many screens, quick to draw. */
export const FIRST_PRETTY_WINDOW = 512 * 1024;
/** Later windows (the backend's largest). */
export const PRETTY_WINDOW = 1024 * 1024;

/** Whether a stored body's pretty view comes from the backend (`read_pretty_body`). */
export function usesServerPretty(contentTypeIsJson: boolean, size: number, recorded: boolean): boolean {
  return contentTypeIsJson && !recorded && size > SERVER_PRETTY_FROM;
}

/** What the pretty view says, showing the raw text instead, when the backend could not pretty-print. */
export function serverPrettyFallbackNote(error: { code: string; message: string }): string {
  if (error.code === "InvalidFile") return "Not valid JSON; showing the raw text.";
  if (error.code === "TooLarge") return `Too large to pretty-print (${error.message}); showing the raw text.`;
  return `Could not pretty-print the body (${error.message}); showing the raw text.`;
}

/** The next window to ask for: `null` when everything is in or the budget is spent. */
export function nextPrettyRead(have: number, total: number | null, budget: number, first: boolean): number | null {
  if (total !== null && have >= total) return null;
  if (budget <= 0) return null;
  const window = first ? FIRST_PRETTY_WINDOW : PRETTY_WINDOW;
  return Math.min(window, budget);
}
