// The environment editor's list: the key Globals is selected by, and where the arrow keys move
// the selection.

/** The list key of the global variables: no environment can be named with a NUL. */
export const GLOBALS = "\u0000globals";

/**
 * The entry ArrowDown / ArrowUp moves to from `selected` in `order` (clamped at both ends), or
 * null for any other key.
 */
export function stepSelection(order: ReadonlyArray<string>, selected: string, key: string): string | null {
  if (key !== "ArrowDown" && key !== "ArrowUp") return null;
  const i = order.indexOf(selected);
  return order[Math.max(0, Math.min(order.length - 1, i + (key === "ArrowDown" ? 1 : -1)))] ?? null;
}
