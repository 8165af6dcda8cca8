// The runner's calls into Rust: run a collection or folder (progress over a channel), cancel
// it, a recorded entry to open, the data file the user picked allowed for the run, and the runs
// kept in the history (listed, reopened).
export { allowBodyFiles, cancelRun, historyGet, listRuns, normaliseError, openRun, runCollection } from "../../lib/ipc";
