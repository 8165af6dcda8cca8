// The sidebar's operation list: search, grouping by tag, and the flat row list the virtualised
// view renders (group headers, operations, then the component schemas).

import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";

/** Lower-cased text a query is matched against, one entry per operation (same order). */
export function searchIndex(ops: ReadonlyArray<OperationSummary>): string[] {
  return ops.map((op) => `${op.path}\n${op.summary ?? ""}\n${op.id}`.toLowerCase());
}

/** The query's terms: lower-cased, split on whitespace. Every term must match. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t !== "");
}

export function matchesTerms(haystack: string, terms: ReadonlyArray<string>): boolean {
  for (const t of terms) if (!haystack.includes(t)) return false;
  return true;
}

/**
 * The operations whose path, summary or id contain the query (case-insensitive substring; with
 * several whitespace-separated terms, each must occur). An empty query keeps everything.
 * `index` is `searchIndex(ops)`, passed in so it is built once per spec, not per keystroke.
 */
export function searchOperations(
  ops: ReadonlyArray<OperationSummary>,
  query: string,
  index: ReadonlyArray<string> = searchIndex(ops),
): OperationSummary[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return ops.slice();
  const out: OperationSummary[] = [];
  for (let i = 0; i < ops.length; i++) if (matchesTerms(index[i], terms)) out.push(ops[i]);
  return out;
}

/** Where an untagged operation goes: its first path segment (`/items/{id}` → `/items`). */
export function pathGroup(path: string): string {
  const seg = path.split("/").find((s) => s !== "");
  return seg === undefined ? "/" : `/${seg}`;
}

export interface OperationGroup {
  name: string;
  /** True for a group made from a path segment rather than a tag. */
  byPath: boolean;
  ops: OperationSummary[];
}

/**
 * Groups by tag (an operation with several tags is listed under each), untagged operations by
 * their first path segment. Declared tags come first in their order, then the other tags and
 * path groups in order of first appearance.
 */
export function groupOperations(ops: ReadonlyArray<OperationSummary>, declaredTags: ReadonlyArray<string> = []): OperationGroup[] {
  const groups = new Map<string, OperationGroup>();
  for (const t of declaredTags) groups.set(`t:${t}`, { name: t, byPath: false, ops: [] });
  for (const op of ops) {
    const tags = op.tags ?? [];
    if (tags.length === 0) {
      const name = pathGroup(op.path);
      let g = groups.get(`p:${name}`);
      if (!g) groups.set(`p:${name}`, (g = { name, byPath: true, ops: [] }));
      g.ops.push(op);
      continue;
    }
    for (const t of new Set(tags)) {
      let g = groups.get(`t:${t}`);
      if (!g) groups.set(`t:${t}`, (g = { name: t, byPath: false, ops: [] }));
      g.ops.push(op);
    }
  }
  return [...groups.values()].filter((g) => g.ops.length > 0);
}

export type ListRow =
  | { kind: "group"; key: string; group: string; count: number; collapsed: boolean }
  | { kind: "op"; key: string; group: string; op: OperationSummary }
  | { kind: "schemas"; key: string; count: number; collapsed: boolean }
  | { kind: "schema"; key: string; name: string };

export const SCHEMAS_GROUP = "\u0000schemas";

/**
 * The flat list the sidebar shows. Collapsed groups keep their header only; while searching
 * (`expandAll`) every group is open. Schemas matching the query follow under "Schemas".
 */
export function buildRows(
  groups: ReadonlyArray<OperationGroup>,
  schemaNames: ReadonlyArray<string>,
  collapsed: ReadonlySet<string>,
  expandAll = false,
): ListRow[] {
  const rows: ListRow[] = [];
  // Keys use positions: a tag may be spelled like a path group, and names may repeat.
  groups.forEach((g, gi) => {
    const isCollapsed = !expandAll && collapsed.has(g.name);
    rows.push({ kind: "group", key: `g${gi}`, group: g.name, count: g.ops.length, collapsed: isCollapsed });
    if (isCollapsed) return;
    for (let i = 0; i < g.ops.length; i++) {
      rows.push({ kind: "op", key: `g${gi}:${i}`, group: g.name, op: g.ops[i] });
    }
  });
  if (schemaNames.length > 0) {
    const isCollapsed = !expandAll && collapsed.has(SCHEMAS_GROUP);
    rows.push({ kind: "schemas", key: "s", count: schemaNames.length, collapsed: isCollapsed });
    if (!isCollapsed) schemaNames.forEach((name, i) => rows.push({ kind: "schema", key: `s${i}`, name }));
  }
  return rows;
}

/** Component schemas whose name contains every term of the query. */
export function searchSchemas(names: ReadonlyArray<string>, query: string): string[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return names.slice();
  return names.filter((n) => matchesTerms(n.toLowerCase(), terms));
}

/** The index of the group header a row belongs to (the row itself for a header). */
export function headerOf(rows: ReadonlyArray<ListRow>, index: number): number {
  for (let i = Math.min(index, rows.length - 1); i >= 0; i--) {
    const k = rows[i].kind;
    if (k === "group" || k === "schemas") return i;
  }
  return -1;
}

/** The first row that opens something (an operation or a schema), or -1. */
export function firstItem(rows: ReadonlyArray<ListRow>): number {
  return rows.findIndex((r) => r.kind === "op" || r.kind === "schema");
}

/** Short method labels for the narrow sidebar column. */
export function methodLabel(method: string): string {
  const m = method.toUpperCase();
  if (m === "DELETE") return "DEL";
  if (m === "OPTIONS") return "OPT";
  return m.length > 5 ? m.slice(0, 5) : m;
}
