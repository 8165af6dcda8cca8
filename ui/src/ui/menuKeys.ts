// The keyboard of a popup menu, shared by every menu (`ContextMenu`, the tab list): arrow keys
// move (wrapping), Home/End jump, Escape and Tab close. Pure, so it is tested without a window.

/** What a key does in a menu of `count` items whose item `index` has focus. */
export type MenuKeyAction = { kind: "move"; to: number } | { kind: "close" } | null;

export function menuKey(key: string, index: number, count: number): MenuKeyAction {
  if (key === "Escape" || key === "Tab") return { kind: "close" };
  if (count === 0) return null;
  const wrap = (i: number) => (i + count) % count;
  if (key === "ArrowDown") return { kind: "move", to: wrap(index + 1) };
  if (key === "ArrowUp") return { kind: "move", to: wrap(index - 1) };
  if (key === "Home") return { kind: "move", to: 0 };
  if (key === "End") return { kind: "move", to: count - 1 };
  return null;
}
