// Whether the Export-as-code dialog is open, and on what (a collection, folder or request path
// of the tree), plus the choices remembered between openings: the format, the `module:app` and
// the folder last written to.

import type { CodeFormat } from "../../lib/bindings/CodeFormat";

class CodeExportStore {
  #dialog = $state<{ path: string; name: string } | null>(null);
  format = $state<CodeFormat>("pytest");
  app = $state("");
  folder = $state("");

  get dialog() {
    return this.#dialog;
  }

  open(path: string, name: string) {
    this.#dialog = { path, name };
  }
  close() {
    this.#dialog = null;
  }
}

export const codeExport = new CodeExportStore();
