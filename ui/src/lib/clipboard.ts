// The one way the window puts text on the clipboard. WebKitGTK refuses `navigator.clipboard`
// once an IPC call has been awaited since the click ("NotAllowedError": the user gesture has
// expired), so every Copy goes through the clipboard plugin, which writes from the Rust side
// whenever it is asked. Text above COPY_LIMIT is refused with a message rather than tried.

import { writeText } from "@tauri-apps/plugin-clipboard-manager";

import type { ApiError } from "./bindings/ApiError";
import { normaliseError } from "./errors";

/** The most text one Copy puts on the clipboard (16 MiB of UTF-16 code units). */
export const COPY_LIMIT = 16 * 1024 * 1024;

/** Puts `text` on the system clipboard; rejects with an `ApiError` (`TooLarge` above the limit). */
export async function copyText(text: string): Promise<void> {
  if (text.length > COPY_LIMIT) {
    throw {
      code: "TooLarge",
      message: `too large to copy (over ${COPY_LIMIT / 1048576} MiB, the copy budget); save it to a file instead`,
    } satisfies ApiError;
  }
  try {
    await writeText(text);
  } catch (e) {
    throw normaliseError(e);
  }
}
