// Finds `{{name}}` references in a text, for highlighting them in the URL bar. Whitespace inside
// the braces is allowed (`{{ base }}`); an unclosed `{{` is plain text.

export type VarToken = { kind: "text"; text: string } | { kind: "var"; text: string; name: string };

/** The text cut into plain runs and `{{ ... }}` references; the pieces concatenate to `text`. */
export function tokenizeVars(text: string): VarToken[] {
  const out: VarToken[] = [];
  let i = 0;
  let plainStart = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) break;
    // `{{{x}}`: the reference starts at the last of the opening braces.
    let start = open;
    while (text[start + 2] === "{" && start + 2 < close) start++;
    const name = text.slice(start + 2, close).trim();
    if (name === "") {
      i = close + 2;
      continue;
    }
    if (start > plainStart) out.push({ kind: "text", text: text.slice(plainStart, start) });
    out.push({ kind: "var", text: text.slice(start, close + 2), name });
    i = close + 2;
    plainStart = i;
  }
  if (plainStart < text.length) out.push({ kind: "text", text: text.slice(plainStart) });
  return out;
}

/** The distinct variable names a text refers to, in order of first use. */
export function varNames(text: string): string[] {
  const seen = new Set<string>();
  for (const t of tokenizeVars(text)) if (t.kind === "var") seen.add(t.name);
  return [...seen];
}
