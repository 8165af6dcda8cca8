// Which window this is: the main window (no hash), a request window opened by "Open in new
// window" (`#/request?path=<workspace-relative path>`), which shows that one request with the
// sidebar collapsed, or a spec's documentation window (`#/spec?id=<spec id>`), which shows the
// explorer's pages of a spec the app holds; both made by src-tauri/src/windows.rs. Only the main
// window restores and writes the session.

export type WindowRoute = { kind: "main" } | { kind: "request"; path: string } | { kind: "spec"; specId: string };

/** The route a location hash names; anything else is the main window. */
export function parseRoute(hash: string): WindowRoute {
  const m = /^#\/(request|spec)\?(.*)$/.exec(hash);
  if (!m) return { kind: "main" };
  const params = new URLSearchParams(m[2]);
  if (m[1] === "request") {
    const path = params.get("path");
    return path ? { kind: "request", path } : { kind: "main" };
  }
  const specId = params.get("id");
  return specId ? { kind: "spec", specId } : { kind: "main" };
}

/** This window's route, read once at start (the hash does not change afterwards). */
export const windowRoute: WindowRoute = parseRoute(typeof location === "undefined" ? "" : location.hash);

/** Whether this is the main window: the only one that restores and writes the session. */
export function isMainWindow(): boolean {
  return windowRoute.kind === "main";
}
