// The composer around the active tab's request: which of its panes is shown (Params, Headers,
// Body, Auth, Vars, Settings) and a pasted curl command turned into the tab's request.

import { newId } from "../../lib/ids";
import { toasts } from "../../ui/toasts.svelte";
import { tabs } from "../tabs/store.svelte";
import * as api from "./api";
import { composerFromRequest } from "./composer";

class ComposerStore {
  #pane = $state("params");

  get pane() {
    return this.#pane;
  }
  set pane(id: string) {
    this.#pane = id;
  }

  /** A curl command pasted into the URL bar replaces the tab's request. */
  async pasteCurl(key: string, text: string) {
    try {
      const { request, ...parts } = await api.curlParse(text);
      tabs.replaceContent(key, composerFromRequest(request, newId), parts);
      toasts.notify("Request filled in from the curl command");
    } catch (err) {
      toasts.fail("Could not read the curl command", err);
    }
  }
}

export const composer = new ComposerStore();
