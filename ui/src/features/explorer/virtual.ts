// Index math for a virtualised list of fixed-height rows: which rows to render for a scroll
// position, and where to scroll so a row is visible.

export interface VirtualWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last to render (exclusive). */
  end: number;
  /** Pixel offset of row `start` from the top of the list. */
  offset: number;
  /** Height of the whole list, in pixels. */
  total: number;
}

/**
 * The rows that intersect the viewport, plus `overscan` rows on each side. Robust to a scroll
 * position beyond the end (the list just shrank) and to a zero-height viewport.
 */
export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): VirtualWindow {
  const total = count * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: Math.max(0, total) };
  const maxTop = Math.max(0, total - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight); // exclusive
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.max(last, first + 1) + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/**
 * The scroll position that shows row `index` entirely while moving as little as possible: the
 * current one when it is already visible.
 */
export function revealScrollTop(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** How many rows a Page Up / Page Down moves: one viewport, less one row of context. */
export function pageRows(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);
}

/** Moves a selection within `[0, count)` by `delta`, clamped. */
export function moveIndex(index: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (index < 0) return delta >= 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, index + delta));
}
