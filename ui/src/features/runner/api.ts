// The runner's calls into Rust: run a collection or folder (progress over a channel), cancel
// it, a recorded entry to open, and the data file the user picked allowed for the run.
export { allowBodyFiles, cancelRun, historyGet, normaliseError, runCollection } from "../../lib/ipc";
