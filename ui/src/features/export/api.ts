// The Export-as-code dialog's calls to the Rust side (typed, generated in lib/commands.ts), and
// the system folder picker.
import { open } from "@tauri-apps/plugin-dialog";

import { normaliseError } from "../../lib/ipc";

export { codeFormats, existingCodeFiles, exportCode, normaliseError, writeCode } from "../../lib/ipc";

/** Opens the system folder picker; resolves with the chosen folder, or null when cancelled. */
export async function pickFolder(title: string, defaultPath?: string): Promise<string | null> {
  try {
    const picked = await open({ title, directory: true, multiple: false, defaultPath: defaultPath || undefined });
    if (picked === null || picked === undefined) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : String(picked);
  } catch (e) {
    throw normaliseError(e);
  }
}
