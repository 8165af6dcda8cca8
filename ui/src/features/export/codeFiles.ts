// The export dialog's file list: a path split for display, a file's line count, and where the
// list's keys move the selection.

/** The last segment of a `/`-separated path. */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** Everything before the last segment, with its trailing `/`; "" for a top-level file. */
export function dirName(p: string): string {
  const i = p.lastIndexOf("/");
  return i < 0 ? "" : p.slice(0, i + 1);
}

/** Lines of text, a final newline not starting another one. */
export function lineCount(text: string): number {
  return text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/**
 * The index ArrowDown / ArrowUp / Home / End move to from `index` in a list of `length`, or -1
 * for any other key (or an empty list).
 */
export function stepFile(index: number, length: number, key: string): number {
  if (length === 0) return -1;
  if (key === "ArrowDown") return Math.min(length - 1, index + 1);
  if (key === "ArrowUp") return Math.max(0, index - 1);
  if (key === "Home") return 0;
  if (key === "End") return length - 1;
  return -1;
}
