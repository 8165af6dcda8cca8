// The window's layout: the sidebar (open, which view, how wide) and whether the main area shows
// the request, a documentation page or a run. Features change it through these methods.

export type SidebarMode = "collections" | "explorer" | "history";
export type MainView = "request" | "doc" | "run";

export const SIDEBAR_MIN = 220;
export const SIDEBAR_MAX = 560;
export const SIDEBAR_DEFAULT = 300;

class Layout {
  #sidebarOpen = $state(true);
  #sidebarMode = $state<SidebarMode>("collections");
  #sidebarWidth = $state(SIDEBAR_DEFAULT);
  #view = $state<MainView>("request");
  #resizing = $state(false);

  get sidebarOpen() {
    return this.#sidebarOpen;
  }
  set sidebarOpen(open: boolean) {
    this.#sidebarOpen = open;
  }
  get sidebarMode() {
    return this.#sidebarMode;
  }
  set sidebarMode(mode: SidebarMode) {
    this.#sidebarMode = mode;
  }
  get sidebarWidth() {
    return this.#sidebarWidth;
  }
  /** Sets the width, kept between SIDEBAR_MIN and SIDEBAR_MAX. */
  set sidebarWidth(px: number) {
    this.#sidebarWidth = Math.round(Math.min(SIDEBAR_MAX, Math.max(SIDEBAR_MIN, px)));
  }
  get view() {
    return this.#view;
  }
  set view(v: MainView) {
    this.#view = v;
  }

  /** The sidebar's divider is being dragged. */
  get resizing() {
    return this.#resizing;
  }
  set resizing(on: boolean) {
    this.#resizing = on;
  }

  /** Opens the sidebar on `mode`. */
  show(mode: SidebarMode) {
    this.#sidebarOpen = true;
    this.#sidebarMode = mode;
  }
}

export const layout = new Layout();
