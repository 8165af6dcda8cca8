// The body editor's state and its conversion to the `RequestBody` the engine takes.
//
// Every kind keeps its own content in the draft, so switching kinds never loses what was typed:
// only `kind` changes, and only the chosen kind is converted when sending.

import type { KeyValue } from "../../lib/bindings/KeyValue";
import type { MultipartPart } from "../../lib/bindings/MultipartPart";
import type { RequestBody } from "../../lib/bindings/RequestBody";
import type { ParamRow } from "./url";

export type BodyKind = RequestBody["kind"];

export const BODY_KINDS: ReadonlyArray<{ kind: BodyKind; label: string }> = [
  { kind: "none", label: "None" },
  { kind: "json", label: "JSON" },
  { kind: "text", label: "Text" },
  { kind: "form", label: "Form URL-encoded" },
  { kind: "multipart", label: "Multipart form" },
  { kind: "binary", label: "Binary file" },
];

export interface PartRow {
  id: string;
  name: string;
  enabled: boolean;
  /** Which of the two values below is sent; both are kept while the user switches. */
  type: "text" | "file";
  text: string;
  path: string;
  filename: string;
  contentType: string;
}

export interface BodyDraft {
  kind: BodyKind;
  json: string;
  text: { contentType: string; text: string };
  form: ParamRow[];
  multipart: PartRow[];
  binary: { path: string; contentType: string };
}

export function emptyBodyDraft(): BodyDraft {
  return {
    kind: "none",
    json: "",
    text: { contentType: "text/plain", text: "" },
    form: [],
    multipart: [],
    binary: { path: "", contentType: "" },
  };
}

/** Switches the kind; every kind's content stays in the draft. */
export function withKind(draft: BodyDraft, kind: BodyKind): BodyDraft {
  return { ...draft, kind };
}

export function isBlankRow(row: { name: string; value: string }): boolean {
  return row.name === "" && row.value === "";
}

export function isBlankPart(part: PartRow): boolean {
  return part.name === "" && part.text === "" && part.path === "" && part.filename === "" && part.contentType === "";
}

function orNull(s: string): string | null {
  const t = s.trim();
  return t === "" ? null : t;
}

/** Table rows as `KeyValue`s: blank rows are dropped, disabled rows stay with `enabled: false`. */
export function rowsToKeyValues(rows: ReadonlyArray<ParamRow>): KeyValue[] {
  return rows.filter((r) => !isBlankRow(r)).map((r) => ({ name: r.name, value: r.value, enabled: r.enabled }));
}

export function partsToMultipart(parts: ReadonlyArray<PartRow>): MultipartPart[] {
  return parts
    .filter((p) => !isBlankPart(p))
    .map((p) => ({
      name: p.name,
      enabled: p.enabled,
      value:
        p.type === "file"
          ? { kind: "file", path: p.path, filename: orNull(p.filename), contentType: orNull(p.contentType) }
          : { kind: "text", text: p.text },
    }));
}

export function toRequestBody(draft: BodyDraft): RequestBody {
  switch (draft.kind) {
    case "none":
      return { kind: "none" };
    case "json":
      return { kind: "json", text: draft.json };
    case "text":
      return { kind: "text", contentType: draft.text.contentType.trim() || "text/plain", text: draft.text.text };
    case "form":
      return { kind: "form", fields: rowsToKeyValues(draft.form) };
    case "multipart":
      return { kind: "multipart", parts: partsToMultipart(draft.multipart) };
    case "binary":
      return { kind: "binary", path: draft.binary.path, contentType: orNull(draft.binary.contentType) };
  }
}

/**
 * A problem to fix before the body can be sent, or null. (The engine would refuse these too; the
 * composer says so before anything is sent.)
 */
export function bodyProblem(draft: BodyDraft): string | null {
  if (draft.kind === "binary" && draft.binary.path.trim() === "") return "Choose a file to send as the body.";
  if (draft.kind === "multipart") {
    const missing = draft.multipart.find((p) => p.enabled && !isBlankPart(p) && p.type === "file" && p.path.trim() === "");
    if (missing) return `Choose a file for multipart part "${missing.name || "(unnamed)"}".`;
  }
  return null;
}

/** The number of rows/parts that will be sent, for the tab label. */
export function bodySummary(draft: BodyDraft): string {
  switch (draft.kind) {
    case "none":
      return "";
    case "json":
      return "JSON";
    case "text":
      return "Text";
    case "form":
      return "Form";
    case "multipart":
      return "Multipart";
    case "binary":
      return "File";
  }
}
