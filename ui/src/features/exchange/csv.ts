// CSV (RFC 4180) read into rows for the Table view: quoted fields with `""` escapes, commas and
// line breaks inside quotes, CRLF or LF line ends. Only the first `maxRows` rows are read, so a
// big body's first window shows at once; a quote left open at the end of the text (the window
// cut a field) ends the last row there.

export interface CsvTable {
  rows: string[][];
  /** True when rows were left out (more than `maxRows`, or the text was cut mid-row). */
  capped: boolean;
}

/** The most rows the Table view shows. */
export const MAX_TABLE_ROWS = 1000;

export function isCsvType(contentType: string | null | undefined): boolean {
  const t = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return t === "text/csv" || t === "application/csv" || t === "text/comma-separated-values";
}

/**
 * Parses `text` into at most `maxRows` rows. `complete`: false when `text` is only the start of
 * the body, so its last (probably cut) row is dropped.
 */
export function parseCsv(text: string, maxRows = MAX_TABLE_ROWS, complete = true): CsvTable {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    row = [];
    field = "";
  };
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" || c === "\n") {
      endRow();
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (rows.length > maxRows) return { rows: rows.slice(0, maxRows), capped: true };
    } else {
      field += c;
    }
    i++;
  }
  const pending = field !== "" || row.length > 0 || quoted;
  if (pending) {
    if (!complete) return { rows: rows.slice(0, maxRows), capped: true };
    endRow();
  }
  if (rows.length > maxRows) return { rows: rows.slice(0, maxRows), capped: true };
  return { rows, capped: !complete };
}
