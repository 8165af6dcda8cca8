// "Open schema" on a contract failure: where the request's contract spec is (a URL as it is, a
// relative path from the request's collection folder, as the Rust side reads it) and which of
// the spec's operations the contract names (its id, or `METHOD /path/template`).

import type { ContractRef } from "../../lib/bindings/ContractRef";
import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";

/** The spec's source as the explorer opens it. `requestPath`: the request file in the workspace. */
export function contractSource(contract: ContractRef, root: string | null, requestPath: string | null): string {
  const spec = contract.spec;
  if (/^https?:\/\//i.test(spec) || spec.startsWith("/") || /^[A-Za-z]:[\\/]/.test(spec)) return spec;
  const collection = requestPath?.split("/")[0] ?? "";
  if (root === null || collection === "") return spec;
  return `${root.replace(/[\\/]+$/, "")}/${collection}/${spec}`;
}

/**
 * The documented response a schema pointer is inside (`#/paths/~1items/get/responses/200/...`
 * gives `200`), so the operation's page opens at it; null when the pointer names none.
 */
export function responseStatusOf(schemaPointer: string | null | undefined): string | null {
  const parts = (schemaPointer ?? "").replace(/^#/, "").split("/");
  const at = parts.indexOf("responses");
  const status = at >= 0 ? parts[at + 1] : undefined;
  return status ? status.replace(/~1/g, "/").replace(/~0/g, "~") : null;
}

/** The operation `contract` names, or null when the spec has none. */
export function contractOperation(contract: ContractRef, operations: ReadonlyArray<OperationSummary>): OperationSummary | null {
  const wanted = contract.operation.trim();
  const byId = operations.find((o) => o.id === wanted);
  if (byId) return byId;
  const space = wanted.indexOf(" ");
  if (space < 0) return null;
  const method = wanted.slice(0, space).toUpperCase();
  const path = wanted.slice(space + 1).trim();
  return operations.find((o) => o.method.toUpperCase() === method && o.path === path) ?? null;
}
