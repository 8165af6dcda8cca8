// "Assert this": which value of a pretty-printed JSON body a line holds, and its JSONPath. The
// text is scanned once up to that line (strings and escapes respected), keeping the chain of
// keys and indexes; no parse into values, so numbers keep the exact text the server sent.

export interface ValueAt {
  /** An RFC 9535 normalized-style path: `$.items[0].id`, `$['odd key']`. */
  path: string;
  /** The value's JSON text as it appears (`1`, `"Pen"`, `{"a": 1}` for a small container). */
  value: string;
}

/** Containers larger than this are not offered (the assertion's value would be unreadable). */
export const MAX_VALUE_CHARS = 2000;

type Frame = { kind: "obj"; key: string | null; expectKey: boolean } | { kind: "arr"; index: number };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One step of a path: `.name`, `['odd key']` or `[3]`. */
function step(frame: Frame): string {
  if (frame.kind === "arr") return `[${frame.index}]`;
  const key = frame.key ?? "";
  return IDENT.test(key) ? `.${key}` : `['${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

/** The end (exclusive) of the string starting with the quote at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === "\\") j += 2;
    else if (c === '"') return j + 1;
    else j += 1;
  }
  return text.length;
}

/** The end (exclusive) of the value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === "{" || c === "[") {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const d = text[j];
      if (d === '"') {
        j = stringEnd(text, j);
        continue;
      }
      if (d === "{" || d === "[") depth += 1;
      else if (d === "}" || d === "]") {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
      j += 1;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !/[\s,\]}]/.test(text[j])) j += 1;
  return j;
}

/** The value that starts on the line holding `offset` in `text` (pretty JSON), if any. */
export function valueAtLine(text: string, offset: number): ValueAt | null {
  const lineStart = text.lastIndexOf("\n", Math.max(0, offset - 1)) + 1;
  const nl = text.indexOf("\n", offset);
  const lineEnd = nl < 0 ? text.length : nl;
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length && i < lineEnd) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === ",") {
      if (top?.kind === "arr") top.index += 1;
      else if (top?.kind === "obj") top.expectKey = true;
      i += 1;
      continue;
    }
    if (c === ":") {
      if (top?.kind === "obj") top.expectKey = false;
      i += 1;
      continue;
    }
    if (c === "}" || c === "]") {
      stack.pop();
      i += 1;
      continue;
    }
    if (c === '"' && top?.kind === "obj" && top.expectKey) {
      const end = stringEnd(text, i);
      try {
        top.key = JSON.parse(text.slice(i, end)) as string;
      } catch {
        return null;
      }
      i = end;
      continue;
    }
    // A value starts here.
    if (i >= lineStart) {
      const end = valueEnd(text, i);
      if (end - i > MAX_VALUE_CHARS) return null;
      const raw = text.slice(i, end);
      try {
        JSON.parse(raw);
      } catch {
        return null;
      }
      const path = "$" + stack.map(step).join("");
      return { path, value: c === "{" || c === "[" ? JSON.stringify(JSON.parse(raw)) : raw };
    }
    if (c === "{") stack.push({ kind: "obj", key: null, expectKey: true });
    else if (c === "[") stack.push({ kind: "arr", index: 0 });
    else i = valueEnd(text, i) - 1;
    i += 1;
  }
  return null;
}
