// The Assertions tab's vocabulary: query kinds and predicates with their labels, which need an
// argument or a value, and the assertion "assert this" adds from a JSON value.
import type { AssertPredicate } from "../../lib/bindings/AssertPredicate";
import type { AssertQuery } from "../../lib/bindings/AssertQuery";
import type { Assertion } from "../../lib/bindings/Assertion";

export type QueryKind = AssertQuery["kind"];

export const QUERY_KINDS: { kind: QueryKind; label: string }[] = [
  { kind: "status", label: "Status" },
  { kind: "header", label: "Header" },
  { kind: "cookie", label: "Cookie" },
  { kind: "jsonPath", label: "JSONPath" },
  { kind: "bodyText", label: "Body text" },
  { kind: "responseTime", label: "Time (ms)" },
  { kind: "size", label: "Size (B)" },
  { kind: "redirects", label: "Redirects" },
];

export const PREDICATES: { id: AssertPredicate; label: string }[] = [
  { id: "equals", label: "==" },
  { id: "notEquals", label: "!=" },
  { id: "less", label: "<" },
  { id: "lessOrEqual", label: "<=" },
  { id: "greater", label: ">" },
  { id: "greaterOrEqual", label: ">=" },
  { id: "contains", label: "contains" },
  { id: "startsWith", label: "starts with" },
  { id: "endsWith", label: "ends with" },
  { id: "matches", label: "matches regex" },
  { id: "exists", label: "exists" },
  { id: "isEmpty", label: "is empty" },
  { id: "length", label: "length ==" },
  { id: "isString", label: "is string" },
  { id: "isNumber", label: "is number" },
  { id: "isInteger", label: "is integer" },
  { id: "isBoolean", label: "is boolean" },
  { id: "isArray", label: "is array" },
  { id: "isObject", label: "is object" },
  { id: "isNull", label: "is null" },
  { id: "in", label: "in list" },
  { id: "matchesSchema", label: "matches JSON Schema (file)" },
];

const NO_VALUE = new Set<AssertPredicate>(["exists", "isEmpty", "isString", "isNumber", "isInteger", "isBoolean", "isArray", "isObject", "isNull"]);

/** Whether the predicate compares with a value (mirrors `AssertPredicate::takes_value`). */
export function takesValue(p: AssertPredicate): boolean {
  return !NO_VALUE.has(p);
}

/** The query's argument: a header or cookie name, a JSONPath; null for kinds without one. */
export function queryArg(q: AssertQuery): string | null {
  if (q.kind === "header" || q.kind === "cookie") return q.name;
  if (q.kind === "jsonPath") return q.path;
  return null;
}

/** `q` as `kind`, keeping the argument when both take one. */
export function withKind(q: AssertQuery, kind: QueryKind): AssertQuery {
  const arg = queryArg(q);
  if (kind === "header" || kind === "cookie") return { kind, name: q.kind === "jsonPath" ? "" : (arg ?? "") };
  if (kind === "jsonPath") return { kind, path: q.kind === "jsonPath" ? q.path : "$." };
  return { kind };
}

/** `q` with its argument set to `arg`. */
export function withArg(q: AssertQuery, arg: string): AssertQuery {
  if (q.kind === "header" || q.kind === "cookie") return { kind: q.kind, name: arg };
  if (q.kind === "jsonPath") return { kind: "jsonPath", path: arg };
  return q;
}

export function newAssertion(): Assertion {
  return { query: { kind: "status" }, predicate: "equals", value: "200", negate: false, enabled: true };
}

/** What "assert this" adds: the value at `path` equals what the response holds now. */
export function assertValue(path: string, value: string): Assertion {
  return { query: { kind: "jsonPath", path }, predicate: "equals", value, negate: false, enabled: true };
}
