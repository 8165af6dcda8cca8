// What an import into the workspace says it did ("Shop API: 12 requests in 4 folders"), and the
// collision it can run into: the Rust side refuses to write a collection beside one of the same
// name and says so with a `Conflict` whose message names it.
import type { ApiError } from "../../lib/bindings/ApiError";
import type { ImportedCollection } from "../../lib/bindings/ImportedCollection";
import type { ImportResult } from "../../lib/bindings/ImportResult";

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

/** "Shop API: 12 requests in 4 folders", "Merged into Shop API: 1 request". */
export function describeCollection(c: ImportedCollection): string {
  const folders = c.folders > 0 ? ` in ${plural(c.folders, "folder")}` : "";
  return `${c.merged ? "Merged into " : ""}${c.name}: ${plural(c.requests, "request")}${folders}`;
}

/** One line for the toast: each collection, else the number of items written. */
export function describeImport(result: ImportResult): string {
  if (result.collections.length > 0) return result.collections.map(describeCollection).join("; ");
  return `Imported ${result.paths.length === 1 ? "1 item" : `${result.paths.length} items`}`;
}

const TAKEN = /^a collection named "(.*)" already exists/s;

/** The name of the existing collection an import ran into, when `error` is that refusal. */
export function collidingName(error: ApiError): string | null {
  if (error.code !== "Conflict") return null;
  return TAKEN.exec(error.message)?.[1] ?? null;
}

/** "Shop API 2", or the next number not taken. */
export function freeName(name: string, taken: ReadonlyArray<string>): string {
  for (let n = 2; ; n++) {
    const candidate = `${name} ${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
}
