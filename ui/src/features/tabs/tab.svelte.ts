// One open request tab: its file (path, revision), its content (the saved request's parts, with
// the request itself as the composer's editable state), whether it differs from the file, a
// conflict with the file, whether it is still pristine (nothing of the user's in it, so Try it
// and History may fill it), its title and its Try-it hint. State is private; the tabs store
// changes it through these methods.

import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import { newId } from "../../lib/ids";
import { composerFromRequest, emptySaved, fingerprint, requestFromComposer } from "../composer/composer";
import type { ComposerState } from "../composer/request";
import { stripLabel, tabTitle } from "./tabs";

/** Why a tab shows the "changed on disk" banner. */
export type Conflict = "disk" | "save" | "deleted";

/** Everything of a saved request but the request, which arrives as composer state. */
export type SavedParts = Partial<Omit<SavedRequest, "request">>;

/** What Try it left the user to do in this tab (placeholders, files), shown above its composer. */
export interface TabHint {
  title: string;
  notes: string[];
  missingFiles: string[];
}

export class RequestTab {
  readonly key: string;
  #path = $state<string | null>(null);
  /** Everything but `request`, which lives in `composer` while the tab is open. */
  #saved = $state<SavedRequest>(emptySaved());
  #composer = $state<ComposerState>(composerFromRequest(emptySaved().request, newId));
  #baseRevision = $state<string | null>(null);
  /** Fingerprint of the request as on disk; "" when unknown (a restored draft), so the tab is dirty. */
  #clean = $state("");
  #conflict = $state<Conflict | null>(null);
  #busy = $state(false);
  /** A change on disk was reported while the tab was busy saving: check again when it is done. */
  #recheck = false;
  /** Bumped whenever the composer is replaced from outside, so editors rebuild. */
  #generation = $state(0);
  /**
   * Fingerprint of the content as it was filled from elsewhere (a new tab, Try it); null once
   * the tab holds something of the user's (a draft, a paste, a send, a response).
   */
  #fresh = $state<string | null>(null);
  #hint = $state.raw<TabHint | null>(null);
  /** The collection file an unsaved tab's request was reopened from (History), if any. */
  #origin = $state<string | null>(null);

  /** The request as it would be saved now. */
  readonly current: SavedRequest = $derived({
    ...(JSON.parse(JSON.stringify(this.#saved)) as SavedRequest),
    request: requestFromComposer(this.#composer),
  });
  readonly #print: string = $derived(fingerprint(this.current));
  readonly #titleParts = $derived({ name: this.#saved.name, path: this.#path, method: this.#saved.websocket ? "WS" : this.#composer.method, url: this.#composer.url });
  readonly dirty: boolean = $derived(this.#print !== this.#clean);
  /** No file, never edited, never sent, no response: Try it and History may fill this tab. */
  readonly pristine: boolean = $derived(this.#path === null && this.#fresh !== null && this.#print === this.#fresh);
  /** The saved name, else the file's name, else `METHOD /path`, else "New request". */
  readonly title: string = $derived(tabTitle(this.#titleParts));
  /** The title as the tab strip shows it beside the method badge (`/path` rather than `GET /path`). */
  readonly label: string = $derived(stripLabel(this.#titleParts));

  constructor(key: string) {
    this.key = key;
  }

  get path() {
    return this.#path;
  }
  /** The saved request's parts the composer does not hold (name, auth, variables, captures, docs); editors bind into it. */
  get saved() {
    return this.#saved;
  }
  /** The editable request; editors bind into it. */
  get composer() {
    return this.#composer;
  }
  get baseRevision() {
    return this.#baseRevision;
  }
  get conflict() {
    return this.#conflict;
  }
  get busy() {
    return this.#busy;
  }
  get generation() {
    return this.#generation;
  }
  /** The Try-it hint of this tab's request, if it has one. */
  get hint() {
    return this.#hint;
  }
  /** Where a tab reopened from History was sent from (`features/history/origin.ts`). */
  get origin() {
    return this.#origin;
  }

  /**
   * Replaces the whole content with a file's (opened, reloaded) or a draft's; `cleanToo` makes it
   * the clean state (and, without a file, a pristine tab); a draft is the user's work.
   */
  load(saved: SavedRequest, cleanToo: boolean) {
    this.#saved = { ...saved };
    this.#composer = composerFromRequest(saved.request, newId);
    this.#generation++;
    this.#hint = null;
    if (cleanToo) this.#clean = fingerprint({ ...saved, request: requestFromComposer(this.#composer) });
    this.#fresh = cleanToo ? this.#print : null;
  }

  /**
   * Content from elsewhere (a pasted curl command, Try it, history): the composer and the given
   * parts; the clean state stays. With `fill` (Try it) the tab stays pristine, so the next Try it
   * may fill it again; otherwise the content counts as the user's.
   */
  replace(composer: ComposerState, parts: SavedParts = {}, fill = false) {
    this.#saved = { ...this.#saved, ...parts };
    this.#composer = composer;
    this.#generation++;
    this.#hint = null;
    this.#fresh = fill ? this.#print : null;
  }

  /** The tab holds the user's work now (it was sent, it shows a response): it is not pristine any more. */
  markUsed() {
    this.#fresh = null;
  }

  setHint(hint: TabHint | null) {
    this.#hint = hint;
  }

  setOrigin(path: string | null) {
    this.#origin = path;
  }

  /** The tab now belongs to `path` at `revision`. */
  attach(path: string | null, revision: string | null) {
    this.#path = path;
    this.#baseRevision = revision;
  }

  /** The file is gone (or the user keeps the tab without it): the tab becomes unsaved, and dirty. */
  detach() {
    this.#path = null;
    this.#baseRevision = null;
    this.#clean = "";
    this.#conflict = null;
    this.#fresh = null;
  }

  /** A save of `saved` as `path` at `revision` succeeded. */
  markSaved(path: string, revision: string, saved: SavedRequest) {
    this.#path = path;
    this.#baseRevision = revision;
    this.#clean = fingerprint(saved);
    this.#conflict = null;
  }

  /** The file as it is now, for a restored draft: equal to it, the draft is clean. */
  setCleanFrom(saved: SavedRequest) {
    this.#clean = fingerprint({ ...saved, request: requestFromComposer(composerFromRequest(saved.request, newId)) });
  }

  setConflict(conflict: Conflict | null) {
    this.#conflict = conflict;
  }

  setName(name: string) {
    this.#saved.name = name;
  }

  /** A save starts. */
  begin() {
    this.#busy = true;
  }

  /** A save ended; true when a change on disk was reported meanwhile and needs a look. */
  end(): boolean {
    this.#busy = false;
    const again = this.#recheck;
    this.#recheck = false;
    return again;
  }

  /** Mid-save its path may not be known yet: look at the disk again once the save is done. */
  recheckLater() {
    this.#recheck = true;
  }
}
