// Pretty-printing JSON without parsing it into values: numbers (big integers included), string
// escapes and key order come out exactly as the server sent them; only whitespace changes.

/** Re-indents valid JSON with `indent` spaces; returns null when the text is not valid JSON. */
export function prettyJson(text: string, indent = 2): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  try {
    JSON.parse(trimmed);
  } catch {
    return null;
  }
  return reindent(trimmed, indent);
}

function reindent(src: string, indentSize: number): string {
  const out: string[] = [];
  const pads: string[] = [""];
  const pad = (level: number): string => {
    while (pads.length <= level) pads.push(" ".repeat(pads.length * indentSize));
    return pads[level];
  };
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
          i = k + 1;
          continue;
        }
        level++;
        out.push(String.fromCharCode(c), "\n", pad(level));
        break;
      }
      case 0x7d: // }
      case 0x5d: // ]
        flushRun(i);
        level--;
        out.push("\n", pad(level), String.fromCharCode(c));
        break;
      case 0x2c: // ,
        flushRun(i);
        out.push(",\n", pad(level));
        break;
      case 0x3a: // :
        flushRun(i);
        out.push(": ");
        break;
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        flushRun(i);
        break;
      default:
        if (runStart < 0) runStart = i;
    }
    i++;
  }
  flushRun(n);
  return out.join("");
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
