// Which window this is: the main window (no hash), or a request window opened by "Open in new
// window" (`#/request?path=<workspace-relative path>`, made by src-tauri/src/windows.rs), which
// shows that one request with the sidebar collapsed and leaves the session to the main window.

export type WindowRoute = { kind: "main" } | { kind: "request"; path: string };

/** The route a location hash names; anything else is the main window. */
export function parseRoute(hash: string): WindowRoute {
  const m = /^#\/request\?(.*)$/.exec(hash);
  if (!m) return { kind: "main" };
  const path = new URLSearchParams(m[1]).get("path");
  return path ? { kind: "request", path } : { kind: "main" };
}

/** This window's route, read once at start (the hash does not change afterwards). */
export const windowRoute: WindowRoute = parseRoute(typeof location === "undefined" ? "" : location.hash);

/** Whether this is the main window: the only one that restores and writes the session. */
export function isMainWindow(): boolean {
  return windowRoute.kind === "main";
}
