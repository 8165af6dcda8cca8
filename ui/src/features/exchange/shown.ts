// What the body's text views (Pretty, Raw) show for the bytes read so far: the text, whether it
// is JSON (for highlighting, folding and "Assert this"), and a note when the view is not what
// was asked for (too large to format, not yet complete, not valid JSON).
import { isJsonType, mediaType, PRETTY_LIMIT_CHARS, truncateLongLines, type BodyMode } from "./content";
import { formatJson, MAX_INDENT_DEPTH, type PrettyResult } from "./json";

export interface Shown {
  text: string;
  json: boolean;
  note: string | null;
  truncatedLines: number;
}

export interface ShownInput {
  mode: BodyMode | null;
  /** The body's text read so far. */
  text: string;
  contentType: string | null | undefined;
  /** Whether `text` is the whole body. */
  complete: boolean;
  /** The body's full size in bytes. */
  size: number;
  /** The backend pretty-prints this body (big JSON) and it has not failed to. */
  prettyActive: boolean;
  /** The backend's pretty text read so far, when `prettyActive`. */
  prettyText: string | null;
  /** Why the backend could not pretty-print, when it was asked to and could not. */
  prettyFallback: string | null;
}

function make(text: string, json: boolean, note: string | null): Shown {
  const t = truncateLongLines(text);
  return { text: t.text, json, note, truncatedLines: t.truncatedLines };
}

/** Whether a body without a JSON content type still looks like JSON from its start. */
export function looksJson(contentType: string | null | undefined, text: string): boolean {
  if (isJsonType(contentType)) return true;
  const media = mediaType(contentType);
  return (media === "" || media.startsWith("text/plain")) && /^\s*[[{]/.test(text.slice(0, 64));
}

/** Why the pretty view differs from plain indentation (or is the raw text), if it does. */
export function prettyNote(r: PrettyResult): string | null {
  if (r.kind === "too-large") {
    return `Pretty-printed, this body would be over ${Math.round(r.limit / 1048576)} million characters; showing the raw text.`;
  }
  if (r.kind === "ok" && r.deep) return `Nested more than ${MAX_INDENT_DEPTH} levels deep; deeper levels are not indented further.`;
  return null;
}

/** `null`: nothing to show yet (a spinner), or the mode is not a text view. */
export function shownText(input: ShownInput): Shown | null {
  const { mode, text, contentType, complete, size } = input;
  if (mode !== "pretty" && mode !== "raw") return null;
  if (mode === "raw") return make(text, false, null);
  if (input.prettyActive) {
    // Until the first pretty window is in, a body past the in-page limit shows its raw start; a
    // smaller one shows the spinner for the moment it takes.
    if (input.prettyText === null) return size <= PRETTY_LIMIT_CHARS ? null : make(text, true, "Pretty-printing…");
    return make(input.prettyText, true, null);
  }
  if (!looksJson(contentType, text)) return make(text, false, null);
  // A body that only looks like JSON (no JSON content type) is shown plainly unless it parses.
  if (!isJsonType(contentType)) {
    const r = complete && text.length <= PRETTY_LIMIT_CHARS ? formatJson(text) : null;
    const pretty = r?.kind === "ok" ? r.text : null;
    return make(pretty ?? text, pretty !== null, r ? prettyNote(r) : null);
  }
  let note: string | null = null;
  let pretty: string | null = null;
  if (input.prettyFallback !== null) note = input.prettyFallback;
  else if (text.length > PRETTY_LIMIT_CHARS) note = `Too large to pretty-print (over ${PRETTY_LIMIT_CHARS / 1048576} MB); showing the raw text.`;
  else if (!complete) note = "Pretty-printing needs the whole body; showing the raw text. Load the rest to format it.";
  else {
    const r = formatJson(text);
    if (r.kind === "ok") pretty = r.text;
    note = r.kind === "invalid" ? "Not valid JSON; showing the raw text." : prettyNote(r);
  }
  return make(pretty ?? text, true, note);
}
